package bot

import (
	"context"
	"errors"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// submitView handles a modal's submission; a nil result closes the modal.
func (b *Bot) submitView(ctx context.Context, p followup.Person, cb slack.InteractionCallback) *slack.ViewSubmissionResponse {
	switch cb.View.CallbackID {
	case callbackLogFollowUp:
		return b.submitLog(ctx, p, cb.View)
	case callbackNewCustomer:
		return b.submitNewCustomer(ctx, p, cb.View)
	case callbackDuplicate:
		return b.submitDuplicate(ctx, p, cb.View)
	case callbackAddNext:
		return b.submitAddNext(ctx, p, cb.View)
	case callbackTeam:
		return b.submitTeam(ctx, p, cb.View)
	case callbackStage:
		return b.submitStage(ctx, p, cb.View)
	case callbackNewComplaint:
		return b.submitComplaint(ctx, p, cb.View)
	case callbackResolveComplaint:
		return b.submitResolve(ctx, p, cb.View)
	case callbackNewSurvey:
		return b.submitSurvey(ctx, p, cb.View)
	}
	return nil
}

// submitLog validates the Log follow-up form, commits it, and only then closes the modal
// and confirms. A failed save keeps the modal open with the reason beside a field.
func (b *Bot) submitLog(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	f, loc := viewForm(view), b.loc(p)
	fe := followup.FieldErrors{}

	c, err := b.formCustomer(ctx, p, f, fe)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}

	day, ok := f.date(fieldHappenedOn, loc)
	if !ok {
		day = b.today(p)
	}
	if day.After(b.today(p)) {
		fe[fieldHappenedOn] = "The follow-up date cannot be in the future."
	}
	nf := followup.NewFollowUp{
		CustomerID: c.ID, RepID: p.SlackID, HappenedAt: b.happenedAt(day, p),
		Method: followup.Method(f.value(fieldMethod)), Summary: f.value(fieldSummary),
		Feedback: f.value(fieldFeedback), Mood: followup.Mood(f.value(fieldMood)),
		Stage: followup.Stage(f.value(fieldStage)), LostReason: followup.LostReason(f.value(fieldLostReason)), Source: "modal",
	}
	fromCadence := false
	if text := f.value(fieldNextAction); text != "" || f.value(fieldNextDue) != "" {
		nf.Next = &followup.NewAction{Text: text}
		if due, ok := f.date(fieldNextDue, loc); ok {
			nf.Next.DueAt = b.dueOnDay(due, p)
		} else if c.ID != 0 {
			nf.Next.DueAt, fromCadence = b.dueOnDay(b.cfg.Cadence.NextContactDue(nf.HappenedAt, c.Tier), p), true
		}
	}
	nf.Normalize()
	mergeFieldErrors(fe, nf.Validate(loc))
	if len(fe) > 0 {
		return b.fieldErrors(p, fe)
	}

	from := decodeOrigin(view.PrivateMetadata)
	var fu followup.FollowUp
	if from.Replace != 0 {
		fu, err = b.store.ReplaceFollowUp(ctx, from.Replace, nf)
	} else {
		fu, err = b.store.CreateFollowUp(ctx, nf)
	}
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	res := b.followUpSaved(p, c, fu, fromCadence)
	if nf.Stage != "" && nf.Stage != c.Stage {
		line := b.stageLine(p, followup.StageMove{Stage: nf.Stage, Reason: nf.LostReason})
		res.Text += "\n" + line
		res.Blocks = append(res.Blocks, section(line))
	}
	b.later(ctx, "confirm follow-up", func(ctx context.Context) error {
		b.refreshHome(ctx, p.SlackID) // the day changed: a step was added or a cadence reset
		return b.notify(ctx, p, from, res)
	})
	return nil
}

// formCustomer reads the customer a form picked, for p to work on; one deleted meanwhile,
// one p may not work on (the typeahead offers only p's, but a form's values can be
// forged), or none, is a field error in fe. Only a failure to look it up is returned.
func (b *Bot) formCustomer(ctx context.Context, p followup.Person, f form, fe followup.FieldErrors) (followup.Customer, error) {
	id, _ := strconv.ParseInt(f.value(fieldCustomer), 10, 64)
	if id == 0 {
		return followup.Customer{}, nil // Validate asks for it
	}
	c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, id)
	switch followup.ErrorCode(err) {
	case followup.ENOTFOUND:
		fe[fieldCustomer] = "That customer no longer exists."
		return followup.Customer{}, nil
	case followup.EFORBIDDEN:
		fe[fieldCustomer] = "denied_customer"
		return followup.Customer{}, nil
	}
	return c, err
}

// mergeFieldErrors adds err's field errors to fe, keeping messages already there.
func mergeFieldErrors(fe followup.FieldErrors, err error) {
	var more followup.FieldErrors
	if errors.As(err, &more) {
		for k, v := range more {
			if _, ok := fe[k]; !ok {
				fe[k] = v
			}
		}
	}
}

// fieldErrors shows each message beside its field, in the person's language.
func (b *Bot) fieldErrors(p followup.Person, fe followup.FieldErrors) *slack.ViewSubmissionResponse {
	msgs := make(map[string]string, len(fe))
	for k, v := range fe {
		msgs[k] = b.tr(p.Locale, v)
	}
	return slack.NewErrorsViewSubmissionResponse(msgs)
}

// saveFailed keeps the modal open and says the record was not saved: field errors beside
// their fields, anything else beside the main field.
func (b *Bot) saveFailed(ctx context.Context, p followup.Person, view slack.View, err error) *slack.ViewSubmissionResponse {
	var fe followup.FieldErrors
	if errors.As(err, &fe) {
		return b.fieldErrors(p, fe)
	}
	if followup.ErrorCode(err) == followup.EFORBIDDEN {
		return fieldErrorResponse(view, b.tr(p.Locale, "denied_customer"))
	}
	b.log.ErrorContext(ctx, "save submission", "callback", view.CallbackID, "err", err)
	key := "err_modal_bug"
	if followup.ErrorCode(err) == followup.EUNAVAILABLE {
		key = "err_modal_save"
	}
	return fieldErrorResponse(view, b.tr(p.Locale, key))
}

// submitAddNext saves the next step a follow-up was logged without.
func (b *Bot) submitAddNext(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	f, loc, t := viewForm(view), b.loc(p), b.texter(p.Locale)
	from := decodeOrigin(view.PrivateMetadata)
	c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, from.CustomerID)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	next := followup.NewAction{Text: f.value(fieldNextAction), OwnerID: p.SlackID}
	if due, ok := f.date(fieldNextDue, loc); ok {
		if due.Before(b.today(p)) {
			return b.fieldErrors(p, followup.FieldErrors{fieldNextDue: "The next step cannot be due before the follow-up happened."})
		}
		next.DueAt = b.dueOnDay(due, p)
	} else {
		next.DueAt = b.dueOnDay(b.cfg.Cadence.NextContactDue(b.now(), c.Tier), p)
	}
	if next.Text == "" {
		return b.fieldErrors(p, followup.FieldErrors{fieldNextAction: "Say what the next step is, or clear its due date."})
	}
	a, err := b.store.CreateAction(ctx, c.ID, from.FollowUpID, next)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	res := ephemeral(t("saved_next", esc(c.Name), esc(a.Text), b.formatDay(a.DueAt, p)))
	res.ReplaceOriginal = true
	b.later(ctx, "confirm next step", func(ctx context.Context) error { return b.notify(ctx, p, from, res) })
	return nil
}
