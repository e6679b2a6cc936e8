package bot

import (
	"context"
	"strings"

	"github.com/followuphq/followup"
)

// setLanguage answers `/followup lang en|zh|auto`: the person's language from now on, in
// that language.
func (b *Bot) setLanguage(ctx context.Context, p followup.Person, arg string) response {
	var locale string
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "en", "english":
		locale = followup.LocaleEN
	case "zh", "zh-cn", "cn", "chinese", "中文":
		locale = followup.LocaleZH
	case "auto", "slack":
		locale = ""
	default:
		return ephemeral(b.tr(p.Locale, "lang_usage"))
	}
	err := b.store.SetLocale(ctx, p.SlackID, locale)
	b.people.forget(p.SlackID)
	if err != nil {
		b.log.ErrorContext(ctx, "set locale", "err", err)
		return ephemeral(b.failureText(p.Locale, err))
	}
	if locale == "" {
		locale = b.cfg.DefaultLocale
		if fresh, err := b.store.FindPerson(ctx, p.SlackID); err == nil {
			locale = fresh.Locale
		}
	}
	b.later(ctx, "refresh home", func(ctx context.Context) error { b.refreshHome(ctx, p.SlackID); return nil })
	return ephemeral(b.tr(locale, "lang_set"))
}
