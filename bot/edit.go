package bot

import (
	"context"
	"strconv"

	"github.com/followuphq/followup"
)

// openEditLog opens the log form prefilled with a follow-up the rep logged, so they can
// correct what was understood; saving replaces it.
func (b *Bot) openEditLog(ctx context.Context, p followup.Person, triggerID, value string, from origin) {
	id, _ := strconv.ParseInt(value, 10, 64)
	fu, err := b.store.FindFollowUp(ctx, id)
	if err != nil || fu.RepID != p.SlackID {
		b.respondLater(ctx, p, from, b.tr(p.Locale, "That follow-up is gone already."))
		return
	}
	c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, fu.CustomerID)
	if err != nil {
		b.respondLater(ctx, p, from, b.failureText(p.Locale, err))
		return
	}
	d := logModal{
		Today: b.today(p), Customer: &c, Day: fu.HappenedAt.In(b.loc(p)), Method: fu.Method,
		Summary: fu.Summary, Feedback: fu.Feedback, Mood: fu.Mood,
		Metadata: origin{ResponseURL: from.ResponseURL, Channel: from.Channel, Replace: fu.ID}.encode(),
	}
	if len(fu.Actions) > 0 {
		d.NextAction, d.NextDue = fu.Actions[0].Text, fu.Actions[0].DueAt.In(b.loc(p))
	}
	b.openView(ctx, p, triggerID, logFollowUpView(b.texter(p.Locale), d))
}

// undoLog deletes a follow-up its rep just logged, with its next step, and says so in
// place of the confirmation.
func (b *Bot) undoLog(ctx context.Context, p followup.Person, value string, from origin) error {
	id, _ := strconv.ParseInt(value, 10, 64)
	res := ephemeral(b.tr(p.Locale, "undone"))
	if err := b.store.DeleteFollowUp(ctx, id, p.SlackID); err != nil {
		res = ephemeral(b.failureText(p.Locale, err))
	} else {
		b.refreshHome(ctx, p.SlackID)
	}
	res.ReplaceOriginal = true
	return b.notify(ctx, p, from, res)
}

// respondLater tells the person something after the ack, through where they are.
func (b *Bot) respondLater(ctx context.Context, p followup.Person, from origin, text string) {
	b.later(ctx, "respond", func(ctx context.Context) error { return b.notify(ctx, p, from, ephemeral(text)) })
}
