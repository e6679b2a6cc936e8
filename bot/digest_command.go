package bot

import (
	"context"
	"strings"
	"time"

	"github.com/followuphq/followup"
)

// showDigest answers `/followup digest`: the last 7 days of the manager's teams, or of
// everyone for an admin; `/followup digest week` adds the weekly review, as Friday's
// digest does. Reps are told digests are for managers. The activity chart follows in the
// manager's DM once the answer went.
func (b *Bot) showDigest(ctx context.Context, p followup.Person, arg string) response {
	t := b.texter(p.Locale)
	weekly := false
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "":
	case "week", "weekly", "review", "本周", "周报":
		weekly = true
	default:
		return ephemeral(t("digest_usage"))
	}
	v, err := b.viewer(ctx, p)
	if err != nil {
		b.log.ErrorContext(ctx, "managed teams", "err", err)
		return ephemeral(t("err_read"))
	}
	// The teams p manages (followup.ManageTeam), or everyone for an admin.
	scope := followup.DigestScope{TeamIDs: v.ManagedTeamIDs, All: isAdmin(p)}
	if scope.Empty() {
		return ephemeral(t("digest_not_manager"))
	}
	now := b.now()
	var d followup.Digest
	if weekly {
		d, err = b.store.WeeklyDigest(ctx, scope, now.Add(-7*24*time.Hour), now, b.loc(p))
	} else {
		d, err = b.store.Digest(ctx, scope, now.Add(-7*24*time.Hour), now)
	}
	if err != nil {
		b.log.ErrorContext(ctx, "digest", "err", err)
		return ephemeral(t("err_read"))
	}
	b.later(ctx, "digest chart", func(ctx context.Context) error { return b.sendDigestChart(ctx, p, d) })
	return ephemeral(t("digest_title"), b.digestBlocks(p, d)...)
}
