package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// pendingCustomer is a new customer waiting for the rep to confirm it is not a duplicate.
type pendingCustomer struct {
	Customer followup.NewCustomer `json:"customer"`
	From     origin               `json:"from"`
}

// submitNewCustomer validates the New customer form. A customer that shares a name, code,
// phone or ID number with an existing one is shown the match first (a pushed view) instead
// of being saved as a silent duplicate.
func (b *Bot) submitNewCustomer(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	f := viewForm(view)
	nc := followup.NewCustomer{
		Name: f.value(fieldName), Code: f.value(fieldCode), Industry: f.value(fieldIndustry),
		Tier: followup.Tier(strings.ToUpper(f.value(fieldTier))), Source: f.value(fieldSource),
		Notes: f.value(fieldNotes), IDNumber: f.value(fieldIDNumber), OwnerID: p.SlackID,
		Contact: followup.Contact{Name: f.value(fieldContactName), Phone: f.value(fieldContactPhone),
			Email: f.value(fieldContactEmail), Primary: true},
	}
	nc.Normalize()
	if err := nc.Validate(); err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	from := decodeOrigin(view.PrivateMetadata)
	dups, err := b.store.FindDuplicateCustomers(ctx, nc)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	if len(dups) > 0 {
		return b.confirmDuplicate(ctx, p, nc, dups, from)
	}
	return b.createCustomer(ctx, p, nc, from, view)
}

// confirmDuplicate remembers the new customer in Redis and pushes the list of look-alikes.
// Without Redis the rep is shown the look-alike beside the name instead, so the check is
// never skipped.
func (b *Bot) confirmDuplicate(ctx context.Context, p followup.Person, nc followup.NewCustomer, dups []followup.Customer, from origin) *slack.ViewSubmissionResponse {
	t := b.texter(p.Locale)
	key := "newcustomer:" + p.SlackID + ":" + strconv.FormatInt(b.now().UnixNano(), 36)
	if err := b.state.SaveState(ctx, key, pendingCustomer{Customer: nc, From: from}, flowTTL); err != nil {
		b.log.WarnContext(ctx, "save pending customer", "err", err)
		return slack.NewErrorsViewSubmissionResponse(map[string]string{
			fieldName: clip(t("dup_intro")+" "+dups[0].Name+" ("+dups[0].Code+")", 2000),
		})
	}
	dup := duplicateView(t, nc, dups, origin{StateKey: key}.encode())
	return slack.NewPushViewSubmissionResponse(&dup)
}

// submitDuplicate saves the customer the rep confirmed is new, and closes every view.
func (b *Bot) submitDuplicate(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	var pending pendingCustomer
	if err := b.state.TakeState(ctx, decodeOrigin(view.PrivateMetadata).StateKey, &pending); err != nil {
		b.log.WarnContext(ctx, "pending customer gone", "err", err)
		key := "err_expired"
		if followup.ErrorCode(err) == followup.EUNAVAILABLE {
			key = "err_state_down"
		}
		notice := noticeView(b.texter(p.Locale), b.tr(p.Locale, key))
		return slack.NewUpdateViewSubmissionResponse(&notice)
	}
	if res := b.createCustomer(ctx, p, pending.Customer, pending.From, view); res != nil {
		return res
	}
	return slack.NewClearViewSubmissionResponse()
}

// createCustomer commits the customer, then confirms; when the form was opened for a quick
// log that named an unknown customer, that log is saved for the new customer too.
func (b *Bot) createCustomer(ctx context.Context, p followup.Person, nc followup.NewCustomer, from origin, view slack.View) *slack.ViewSubmissionResponse {
	c, err := b.store.CreateCustomer(ctx, nc)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	t := b.texter(p.Locale)
	b.later(ctx, "confirm new customer", func(ctx context.Context) error {
		msg := t("saved_customer", esc(c.Name), esc(c.Code), string(c.Tier))
		res := ephemeral(msg, slack.NewSectionBlock(mrkdwn(msg), nil,
			slack.NewAccessory(button(actionLogFor, t("button_log"), strconv.FormatInt(c.ID, 10)))))
		if from.StateKey != "" {
			var pending pendingLog
			if err := b.state.TakeState(ctx, from.StateKey, &pending); err == nil {
				res = b.saveQuickLog(ctx, p, c, pending.Log, pending.At)
				res.Text = msg + "\n" + res.Text
				res.Blocks = append([]slack.Block{section(msg)}, res.Blocks...)
			}
		}
		res.ReplaceOriginal = from.StateKey != ""
		return b.notify(ctx, p, from, res)
	})
	return nil
}
