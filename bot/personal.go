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

// canSeePersonalData asks the access policy (followup.SeePersonalData, the rule of
// followup.CanSeePersonalData) whether p may see c's personal data in full.
func (b *Bot) canSeePersonalData(ctx context.Context, p followup.Person, c followup.Customer) (bool, error) {
	return b.can(ctx, p, followup.SeePersonalData, c)
}

// personalValue shows a phone, email or ID number, masked or not, as inline code: the
// asterisks of 138****5678 would otherwise turn into bold text in mrkdwn.
func personalValue(v string) string {
	return "`" + esc(strings.ReplaceAll(clip(v, 100), "`", "'")) + "`"
}
