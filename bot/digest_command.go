package bot

import (
	"context"
	"time"

	"github.com/followuphq/followup"
)

// showDigest answers `/followup digest`: the last 7 days of the manager's teams, or of
// everyone for an admin. Reps are told digests are for managers.
func (b *Bot) showDigest(ctx context.Context, p followup.Person) response {
	t := b.texter(p.Locale)
	teams, err := b.store.ManagedTeamIDs(ctx, p.SlackID)
	if err != nil {
		b.log.ErrorContext(ctx, "managed teams", "err", err)
		return ephemeral(t("err_read"))
	}
	scope := followup.DigestScope{TeamIDs: teams, All: p.Role == followup.RoleAdmin}
	if scope.Empty() {
		return ephemeral(t("digest_not_manager"))
	}
	now := b.now()
	d, err := b.store.Digest(ctx, scope, now.Add(-7*24*time.Hour), now)
	if err != nil {
		b.log.ErrorContext(ctx, "digest", "err", err)
		return ephemeral(t("err_read"))
	}
	return ephemeral(t("digest_title"), b.digestBlocks(p, d)...)
}
