package bot

import (
	"context"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// The stage form, opened from the customer card's button.
const (
	actionStageOpen = "stage_open" // value: the customer id
	callbackStage   = "stage_change"
	fieldLostReason = "lost_reason"
)

// stageView asks for the customer's new stage and, when it is lost, why. Slack cannot show a
// field only for one choice without a round trip per change, so the reason is optional in
// the form and required by the submission when the stage is lost.
func stageView(t texter, c followup.Customer, metadata string) slack.ModalViewRequest {
	stages := stageOptions(t)
	stage := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldStage, stages...)
	for i, s := range followup.Stages() {
		if s == c.Stage {
			stage.InitialOption = stages[i]
		}
	}
	reasons := lostReasonOptions(t)
	reason := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldLostReason, reasons...)
	for i, r := range followup.LostReasons() {
		if string(r) == c.LostReason {
			reason.InitialOption = reasons[i]
		}
	}
	return modal(t, callbackStage, "title_stage", "submit_save", "close_cancel", metadata,
		section("*"+esc(clip(c.Name, 200))+"* ("+esc(c.Code)+")"),
		input(fieldStage, t("label_stage_now"), stage, false, ""),
		input(fieldLostReason, t("label_lost_reason"), reason, true, t("hint_lost_reason")),
	)
}

func lostReasonOptions(t texter) []*slack.OptionBlockObject {
	out := make([]*slack.OptionBlockObject, 0, len(followup.LostReasons()))
	for _, r := range followup.LostReasons() {
		out = append(out, option(string(r), t("lost_reason_"+string(r))))
	}
	return out
}

// openStage opens the stage form for the customer on a card.
func (b *Bot) openStage(ctx context.Context, p followup.Person, triggerID, value string, from origin) {
	id, _ := strconv.ParseInt(value, 10, 64)
	c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, id)
	if err != nil {
		b.respondLater(ctx, p, from, b.failureText(p.Locale, err))
		return
	}
	from.CustomerID = c.ID
	b.openView(ctx, p, triggerID, stageView(b.texter(p.Locale), c, from.encode()))
}

// submitStage moves the customer, then puts the card back up to date where it was, with
// what changed on top.
func (b *Bot) submitStage(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	f := viewForm(view)
	from := decodeOrigin(view.PrivateMetadata)
	m := followup.StageMove{Stage: followup.Stage(f.value(fieldStage)), Reason: followup.LostReason(f.value(fieldLostReason))}
	m.Normalize()
	if err := m.Validate(); err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	if _, err := b.customerFor(ctx, p, followup.WorkOnCustomer, from.CustomerID); err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	c, changed, err := b.store.SetStage(ctx, from.CustomerID, p.SlackID, m)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	note := b.tr(p.Locale, "stage_unchanged", esc(c.Name))
	if changed {
		note = b.stageLine(p, m)
	}
	b.later(ctx, "confirm stage", func(ctx context.Context) error {
		res := b.customerCard(ctx, p, c)
		res.Text = note + "\n" + res.Text
		res.Blocks = append([]slack.Block{section(note)}, res.Blocks...)
		res.ReplaceOriginal = true
		return b.notify(ctx, p, from, res)
	})
	return nil
}

// stageLine says where a move took the customer, with the reason for a loss.
func (b *Bot) stageLine(p followup.Person, m followup.StageMove) string {
	if m.Stage == followup.StageLost {
		return b.tr(p.Locale, "stage_line_lost", b.tr(p.Locale, "stage_lost"), b.tr(p.Locale, "lost_reason_"+string(m.Reason)))
	}
	return b.tr(p.Locale, "stage_line", b.tr(p.Locale, "stage_"+string(m.Stage)))
}
