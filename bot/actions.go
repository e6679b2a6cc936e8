package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// Action ids of buttons on the App Home tab.
const actionOpenNewCustomer = "new_customer_open"

// handleBlockActions handles button presses. Buttons that open a form do it now, while the
// trigger_id is fresh; the rest continue after the ack and answer through response_url.
func (b *Bot) handleBlockActions(ctx context.Context, p followup.Person, cb slack.InteractionCallback) {
	t := b.texter(p.Locale)
	from := origin{ResponseURL: cb.ResponseURL, Channel: cb.Channel.ID}
	for _, a := range cb.ActionCallback.BlockActions {
		if b.handleReminderAction(ctx, p, cb, a) || b.handleConversationButton(ctx, p, cb, a) || b.handleAuditAction(ctx, p, a, from) {
			continue
		}
		switch a.ActionID {
		case actionLogFor:
			var c *followup.Customer
			if id, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
				// A customer p may not work on is left out: the form then asks for one.
				if found, err := b.customerFor(ctx, p, followup.WorkOnCustomer, id); err == nil {
					c = &found
				}
			}
			b.openView(ctx, p, cb.TriggerID, logFollowUpView(t, logModal{Today: b.today(p), Customer: c, Metadata: from.encode()}))
		case actionStageOpen:
			b.openStage(ctx, p, cb.TriggerID, a.Value, from)
		case actionOpenNewCustomer:
			b.openView(ctx, p, cb.TriggerID, newCustomerView(t, "", from.encode()))
		case actionCreateForLog:
			b.openNewCustomerForLog(ctx, p, cb.TriggerID, a.Value, from)
		case actionAddNext:
			add := decodeOrigin(a.Value)
			add.ResponseURL, add.Channel = from.ResponseURL, from.Channel
			if c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, add.CustomerID); err == nil {
				b.openView(ctx, p, cb.TriggerID, addNextView(t, c, add.encode()))
			} else {
				b.later(ctx, "refuse", func(ctx context.Context) error {
					return b.notify(ctx, p, from, ephemeral(b.failureText(p.Locale, err)))
				})
			}
		case actionEditLog:
			b.openEditLog(ctx, p, cb.TriggerID, a.Value, from)
		case actionUndoLog:
			value := a.Value
			b.later(ctx, "undo follow-up", func(ctx context.Context) error { return b.undoLog(ctx, p, value, from) })
		case actionPickCustomer:
			value := a.Value
			b.later(ctx, "quick log choice", func(ctx context.Context) error { return b.pickCustomer(ctx, p, value, from) })
		case actionShowCustomer:
			value := a.Value
			b.later(ctx, "show customer", func(ctx context.Context) error {
				id, _ := strconv.ParseInt(value, 10, 64)
				c, err := b.customerFor(ctx, p, followup.SeeCustomer, id)
				res := ephemeral(b.failureText(p.Locale, err))
				if err == nil {
					res = b.customerCard(ctx, p, c)
				}
				res.ReplaceOriginal = true
				return b.notify(ctx, p, from, res)
			})
		}
	}
}

// openNewCustomerForLog opens the New customer form for a quick log whose customer was
// unknown, with the name the rep typed.
func (b *Bot) openNewCustomerForLog(ctx context.Context, p followup.Person, triggerID, key string, from origin) {
	name := ""
	if key != "" {
		var pending pendingLog
		if err := b.state.LoadState(ctx, key, &pending); err == nil {
			name = pending.Log.CustomerRef
		} else {
			key = "" // expired: the customer can still be added
		}
	}
	from.StateKey = key
	b.openView(ctx, p, triggerID, newCustomerView(b.texter(p.Locale), name, from.encode()))
}

// pickCustomer completes a quick log once the rep chose among several customers.
func (b *Bot) pickCustomer(ctx context.Context, p followup.Person, value string, from origin) error {
	key, idText, _ := strings.Cut(value, "|")
	var pending pendingLog
	res := response{}
	if err := b.state.TakeState(ctx, key, &pending); err != nil {
		res = ephemeral(b.failureText(p.Locale, err))
	} else if id, _ := strconv.ParseInt(idText, 10, 64); pending.RepID != p.SlackID {
		res = ephemeral(b.tr(p.Locale, "err_expired"))
	} else if c, err := b.customerFor(ctx, p, followup.WorkOnCustomer, id); err != nil {
		res = ephemeral(b.failureText(p.Locale, err))
	} else {
		res = b.saveQuickLog(ctx, p, c, pending.Log, pending.At)
	}
	res.ReplaceOriginal = true
	return b.notify(ctx, p, from, res)
}
