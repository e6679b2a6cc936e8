package bot

import (
	"context"
	"slices"

	"github.com/followuphq/followup"
)

// handOver answers `/followup handover @from @to`: admins hand anyone's customers over,
// managers those of the reps of their own teams (to someone of those teams, or themselves);
// anyone else gets a polite no. The move is one transaction, committed before the answer;
// the people concerned are told by DM afterwards: both owners, and the leaver's manager (or
// the asker, when the leaver's team has no manager), each once.
func (b *Bot) handOver(ctx context.Context, p followup.Person, text string) response {
	t := b.texter(p.Locale)
	words := refTokens.FindAllString(text, -1)
	if len(words) == 3 && (words[1] == "to" || words[1] == "给" || words[1] == "→" || words[1] == "->") {
		words = []string{words[0], words[2]}
	}
	if len(words) != 2 {
		return ephemeral(t("handover_usage"))
	}
	v, err := b.viewer(ctx, p)
	if err != nil {
		b.log.ErrorContext(ctx, "managed teams", "err", err)
		return ephemeral(t("err_read"))
	}
	managed := v.ManagedTeamIDs
	if !isAdmin(p) && len(managed) == 0 { // could hand over nobody: no need to look anyone up
		return ephemeral(t("handover_not_allowed"))
	}
	var people [2]followup.Person
	for i, ref := range words {
		person, err := b.resolvePerson(ctx, ref)
		switch followup.ErrorCode(err) {
		case "":
			people[i] = person
		case followup.ENOTFOUND, followup.ECONFLICT:
			return ephemeral(t("person_unknown", esc(clip(ref, 80))) + "\n" + t("handover_usage"))
		default:
			b.log.ErrorContext(ctx, "resolve person", "err", err)
			return ephemeral(t("err_read"))
		}
	}
	from, to := people[0], people[1]
	if from.SlackID == to.SlackID {
		return ephemeral(t("handover_same"))
	}
	if !followup.CanHandOver(p, managed, from, to) {
		return ephemeral(t("handover_not_allowed"))
	}
	h, err := b.store.HandOver(ctx, p.SlackID, from.SlackID, to.SlackID)
	if err != nil {
		if followup.ErrorCode(err) != followup.ENOTFOUND {
			b.log.ErrorContext(ctx, "hand over", "err", err)
		}
		return ephemeral(b.failureText(p.Locale, err))
	}
	b.people.forget(from.SlackID, to.SlackID)
	b.later(ctx, "hand-over DMs", func(ctx context.Context) error {
		b.refreshHome(ctx, from.SlackID)
		b.refreshHome(ctx, to.SlackID)
		return b.tellHandOver(ctx, p, from, h)
	})
	return ephemeral(t("handover_done", h.FromID, h.Customers, h.Actions, h.ToID))
}

// tellHandOver DMs the leaver, the new owner and the leaver's manager (or the asker) what
// moved, each in their own language.
func (b *Bot) tellHandOver(ctx context.Context, by, from followup.Person, h followup.HandOver) error {
	recipients := []string{h.FromID, h.ToID}
	manager := by.SlackID
	if from.TeamID != nil {
		if m, err := b.store.TeamManager(ctx, *from.TeamID); err == nil && m != "" {
			manager = m
		}
	}
	recipients = append(recipients, manager)
	var firstErr error
	var sent []string
	for _, id := range recipients {
		if slices.Contains(sent, id) {
			continue
		}
		sent = append(sent, id)
		who, err := b.person(ctx, id)
		if err != nil {
			who = followup.Person{SlackID: id, Locale: b.cfg.DefaultLocale}
		}
		msg := b.tr(who.Locale, "handover_dm", by.SlackID, h.FromID, h.ToID, h.Customers, h.Actions)
		if _, _, err := b.dm(ctx, id, response{Text: msg}); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}
