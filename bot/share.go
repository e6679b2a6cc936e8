package bot

import (
	"context"
	"strings"

	"github.com/followuphq/followup"
)

// shareCustomer answers `/followup share <customer> @rep`: the rep may then see and work
// on the customer. The owner, the owner's manager and admins may share (followup's
// ShareCustomer rule); the rep is told.
func (b *Bot) shareCustomer(ctx context.Context, p followup.Person, text string) response {
	t := b.texter(p.Locale)
	words := refTokens.FindAllString(text, -1)
	if len(words) < 2 {
		return ephemeral(t("share_usage"))
	}
	personRef := words[len(words)-1]
	customerRef := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), personRef))
	to, err := b.resolvePerson(ctx, personRef)
	switch followup.ErrorCode(err) {
	case "":
	case followup.ENOTFOUND, followup.ECONFLICT:
		return ephemeral(t("person_unknown", esc(clip(personRef, 80))) + "\n" + t("share_usage"))
	default:
		b.log.ErrorContext(ctx, "resolve person", "err", err)
		return ephemeral(t("err_read"))
	}
	vis, err := b.visibility(ctx, p)
	if err != nil {
		b.log.ErrorContext(ctx, "visibility", "err", err)
		return ephemeral(t("err_read"))
	}
	matches, err := b.store.ResolveCustomer(ctx, customerRef, vis)
	switch {
	case err != nil:
		b.log.ErrorContext(ctx, "resolve customer", "err", err)
		return ephemeral(t("err_read"))
	case len(matches) == 0:
		return ephemeral(t("ql_not_found", esc(customerRef)))
	case len(matches) > 1: // sharing the wrong one would show it to the wrong person: ask for the code
		names := make([]string, len(matches))
		for i, c := range matches {
			names[i] = "• " + esc(c.Name) + " (" + esc(c.Code) + ")"
		}
		return ephemeral(t("share_which", esc(customerRef)) + "\n" + strings.Join(names, "\n"))
	}
	return b.share(ctx, p, matches[0], to)
}

// share records the share once the customer is known.
func (b *Bot) share(ctx context.Context, p followup.Person, c followup.Customer, to followup.Person) response {
	t := b.texter(p.Locale)
	if ok, err := b.can(ctx, p, followup.ShareCustomer, c); err != nil || !ok {
		if err != nil {
			b.log.ErrorContext(ctx, "share customer", "err", err)
			return ephemeral(b.failureText(p.Locale, err))
		}
		return ephemeral(t("share_not_allowed"))
	}
	if to.SlackID == c.OwnerID {
		return ephemeral(t("share_owner", to.SlackID, esc(c.Name)))
	}
	if err := b.store.ShareCustomer(ctx, c.ID, to.SlackID, p.SlackID); err != nil {
		b.log.ErrorContext(ctx, "share customer", "err", err)
		return ephemeral(b.failureText(p.Locale, err))
	}
	b.later(ctx, "tell about share", func(ctx context.Context) error {
		b.tell(ctx, to, b.tr(to.Locale, "shared_with_you", p.SlackID, esc(c.Name), esc(c.Code)))
		return nil
	})
	return ephemeral(t("shared", esc(c.Name), to.SlackID))
}
