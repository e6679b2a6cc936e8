package bot

import (
	"context"
	"strings"

	"github.com/followuphq/followup"
)

// surfaceSlack names Slack as where personal data was seen, in the audit log.
const surfaceSlack = "slack"

// personalData reads a customer's phones, emails and ID number as p may see them: in full,
// with an audit row per field, when followup.CanSeePersonalData allows it, masked
// otherwise.
func (b *Bot) personalData(ctx context.Context, p followup.Person, c followup.Customer) (followup.PersonalData, error) {
	full, err := b.canSeePersonalData(ctx, p, c)
	if err != nil {
		return followup.PersonalData{}, err
	}
	if full {
		return b.store.RevealPersonalData(ctx, c.ID, p.SlackID, surfaceSlack)
	}
	return b.store.FindPersonalData(ctx, c.ID)
}

// canSeePersonalData gathers what followup.CanSeePersonalData needs and asks it. The teams
// p manages and the owner's team are read only when p is neither an admin nor the owner:
// they could change nothing then, and the card is shown far more often to its owner.
func (b *Bot) canSeePersonalData(ctx context.Context, p followup.Person, c followup.Customer) (bool, error) {
	v := followup.Viewer{Person: p}
	owner := followup.Person{SlackID: c.OwnerID}
	if p.Role != followup.RoleAdmin && p.SlackID != c.OwnerID {
		var err error
		if v.ManagedTeamIDs, err = b.store.ManagedTeamIDs(ctx, p.SlackID); err != nil {
			return false, err
		}
		if len(v.ManagedTeamIDs) > 0 {
			if owner, err = b.store.FindPerson(ctx, c.OwnerID); err != nil {
				return false, err
			}
		}
	}
	return followup.CanSeePersonalData(v, c, owner), nil
}

// personalValue shows a phone, email or ID number, masked or not, as inline code: the
// asterisks of 138****5678 would otherwise turn into bold text in mrkdwn.
func personalValue(v string) string {
	return "`" + esc(strings.ReplaceAll(clip(v, 100), "`", "'")) + "`"
}
