package bot

import (
	"context"
	"slices"

	"github.com/followuphq/followup"
)

// person returns the Slack user behind a request, registering them on first use with the
// time zone and locale Slack knows for them. If Slack cannot be asked, they are registered
// with the deployment's defaults rather than turned away.
func (b *Bot) person(ctx context.Context, slackID string) (followup.Person, error) {
	p, err := b.store.FindPerson(ctx, slackID)
	if followup.ErrorCode(err) != followup.ENOTFOUND {
		return p, err
	}
	p = followup.Person{SlackID: slackID, Locale: b.cfg.DefaultLocale, Role: followup.RoleRep}
	if u, err := b.slack.GetUserInfoContext(ctx, slackID); err != nil {
		b.log.WarnContext(ctx, "users.info failed; registering with defaults", "user", slackID, "err", err)
	} else {
		p.Name, p.RealName, p.TZ = u.Name, u.RealName, u.TZ
		p.Locale = followup.NormalizeLocale(u.Locale, b.cfg.DefaultLocale)
	}
	if slices.Contains(b.cfg.AdminSlackIDs, slackID) {
		p.Role = followup.RoleAdmin
	}
	return b.store.SavePerson(ctx, p)
}
