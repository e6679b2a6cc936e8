package bot

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// handleReminderAction handles the buttons on reminders, complaints and escalations. It
// reports whether the action was one of them. Opening a form happens now, while the
// trigger is fresh; the rest continues after the ack.
func (b *Bot) handleReminderAction(ctx context.Context, p followup.Person, cb slack.InteractionCallback, a *slack.BlockAction) bool {
	verb, key := "", ""
	switch a.ActionID {
	case actionDone:
		verb, key = "done", "a"+a.Value
	case actionSnooze1:
		verb, key = "snooze1", "a"+a.Value
	case actionSnooze3:
		verb, key = "snooze3", "a"+a.Value
	case actionSnoozeDate:
		verb, key = "date:"+a.SelectedDate, itemOfBlock(a.BlockID)
	case actionComplaintStart:
		verb, key = "start", "k"+a.Value
	case actionComplaintResolve:
		if id, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
			b.openResolve(ctx, p, cb, id)
		}
		return true
	case actionReminderMenu:
		verb, key, _ = strings.Cut(a.SelectedOption.Value, "|")
		if verb == "log" || verb == "resolve" {
			b.openFromMenu(ctx, p, cb, verb, key)
			return true
		}
	case actionNudge:
		verb, key = "nudge", a.Value
	case actionReassign:
		verb, key = "reassign:"+a.SelectedUser, itemOfBlock(a.BlockID)
	default:
		return false
	}
	b.later(ctx, "reminder button", func(ctx context.Context) error {
		var state string
		var extra []slack.Block
		var err error
		if kind, id, ok := parseItem(key); ok && kind == 'k' {
			state, extra, err = b.applyComplaintVerb(ctx, p, verb, id)
		} else {
			state, err = b.applyReminderVerb(ctx, p, verb, key)
		}
		if err != nil {
			state, extra = b.failureText(p.Locale, err), nil
		}
		return b.showItemState(ctx, p, cb, key, state, extra...)
	})
	return true
}

// openFromMenu opens the form a menu option asks for: the log form for a customer, the
// Resolve form for a complaint. A stale option opens nothing.
func (b *Bot) openFromMenu(ctx context.Context, p followup.Person, cb slack.InteractionCallback, verb, key string) {
	kind, id, ok := parseItem(key)
	switch {
	case !ok:
	case verb == "log":
		b.openLogFor(ctx, p, cb, id)
	case kind == 'k':
		b.openResolve(ctx, p, cb, id)
	}
}

// openLogFor opens the log form with the customer chosen.
func (b *Bot) openLogFor(ctx context.Context, p followup.Person, cb slack.InteractionCallback, customerID int64) {
	var c *followup.Customer
	if found, err := b.customerFor(ctx, p, followup.WorkOnCustomer, customerID); err == nil {
		c = &found
	}
	from := origin{Channel: cb.Channel.ID, ResponseURL: cb.ResponseURL}
	b.openView(ctx, p, cb.TriggerID, logFollowUpView(b.texter(p.Locale), logModal{Today: b.today(p), Customer: c, Metadata: from.encode()}))
}

// applyReminderVerb changes what the button is about and says, in the presser's language,
// how it stands now.
func (b *Bot) applyReminderVerb(ctx context.Context, p followup.Person, verb, key string) (string, error) {
	t := b.texter(p.Locale)
	kind, id, ok := parseItem(key)
	if !ok {
		return "", followup.Errorf(followup.EINVALID, "That button is out of date.")
	}
	if kind == 'c' {
		return b.applyCustomerVerb(ctx, p, verb, id)
	}
	a, err := b.store.FindAction(ctx, id)
	if err != nil {
		return "", err
	}
	// A step's owner closes or moves it; anyone else needs the customer's say-so: to work
	// on it for Done and Snooze, to reassign it for the manager's Nudge and Reassign.
	perm := followup.WorkOnCustomer
	if verb == "nudge" || strings.HasPrefix(verb, "reassign:") {
		perm = followup.ReassignCustomer
	}
	if a.OwnerID != p.SlackID || perm == followup.ReassignCustomer {
		if _, err := b.customerFor(ctx, p, perm, a.CustomerID); err != nil {
			return "", err
		}
	}
	name := esc(clip(a.CustomerName, 200))
	switch {
	case verb == "done":
		if a, err = b.store.CompleteAction(ctx, id, p.SlackID); err != nil {
			return "", err
		}
		b.refreshHome(ctx, a.OwnerID)
		return t("state_done", esc(clip(a.Text, 500)), name), nil
	case verb == "snooze1", verb == "snooze3", strings.HasPrefix(verb, "date:"):
		until, err := b.snoozeUntil(p, verb)
		if err != nil {
			return "", err
		}
		if a, err = b.store.SnoozeAction(ctx, id, p.SlackID, until); err != nil {
			return "", err
		}
		b.refreshHome(ctx, a.OwnerID)
		return t("state_snoozed", b.formatDay(a.DueAt, p), esc(clip(a.Text, 500)), name), nil
	case verb == "nudge":
		return b.nudge(ctx, p, a.OwnerID, t("nudge_action", p.SlackID, esc(clip(a.Text, 500)), name, esc(a.CustomerCode), b.formatDay(a.DueAt, p)))
	case strings.HasPrefix(verb, "reassign:"):
		to, err := b.person(ctx, strings.TrimPrefix(verb, "reassign:"))
		if err != nil {
			return "", err
		}
		if a, err = b.store.ReassignAction(ctx, id, p.SlackID, to.SlackID); err != nil {
			return "", err
		}
		b.tell(ctx, to, b.tr(to.Locale, "reassigned_to_you", p.SlackID, esc(clip(a.Text, 500)), name, esc(a.CustomerCode), b.formatDay(a.DueAt, to)))
		b.refreshHome(ctx, to.SlackID)
		return t("state_reassigned", to.SlackID), nil
	}
	return "", followup.Errorf(followup.EINVALID, "That button is out of date.")
}

// applyCustomerVerb handles escalations about a customer left past its cadence.
func (b *Bot) applyCustomerVerb(ctx context.Context, p followup.Person, verb string, id int64) (string, error) {
	t := b.texter(p.Locale)
	c, err := b.customerFor(ctx, p, followup.ReassignCustomer, id)
	if err != nil {
		return "", err
	}
	switch {
	case verb == "nudge":
		return b.nudge(ctx, p, c.OwnerID, t("nudge_cadence", p.SlackID, esc(c.Name), esc(c.Code)))
	case strings.HasPrefix(verb, "reassign:"):
		to, err := b.person(ctx, strings.TrimPrefix(verb, "reassign:"))
		if err != nil {
			return "", err
		}
		if err := b.store.ReassignCustomer(ctx, id, p.SlackID, to.SlackID); err != nil {
			return "", err
		}
		b.tell(ctx, to, b.tr(to.Locale, "customer_to_you", p.SlackID, esc(c.Name), esc(c.Code)))
		b.refreshHome(ctx, to.SlackID)
		return t("state_reassigned", to.SlackID), nil
	}
	return "", followup.Errorf(followup.EINVALID, "That button is out of date.")
}

// snoozeUntil reads "snooze1", "snooze3" or "date:2026-11-30" as the start of that day's
// working hours for the presser; a date must be after today.
func (b *Bot) snoozeUntil(p followup.Person, verb string) (time.Time, error) {
	today := b.today(p)
	switch verb {
	case "snooze1":
		return b.dueOnDay(today.AddDate(0, 0, 1), p), nil
	case "snooze3":
		return b.dueOnDay(today.AddDate(0, 0, 3), p), nil
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimPrefix(verb, "date:"), b.loc(p))
	if err != nil || !day.After(today) {
		return time.Time{}, followup.Errorf(followup.EINVALID, "Pick a day after today.")
	}
	return b.dueOnDay(day, p), nil
}

// nudge DMs the rep a manager's request.
func (b *Bot) nudge(ctx context.Context, from followup.Person, repID, text string) (string, error) {
	rep, err := b.person(ctx, repID)
	if err != nil {
		return "", err
	}
	if _, _, err := b.dm(ctx, rep.SlackID, response{Text: text, Blocks: []slack.Block{section(text)}}); err != nil {
		return "", err
	}
	return b.tr(from.Locale, "state_nudged", rep.SlackID), nil
}

// tell DMs someone, logging a failure instead of failing the change that caused it.
func (b *Bot) tell(ctx context.Context, to followup.Person, text string) {
	if _, _, err := b.dm(ctx, to.SlackID, response{Text: text, Blocks: []slack.Block{section(text)}}); err != nil {
		b.log.WarnContext(ctx, "could not tell", "user", to.SlackID, "err", err)
	}
}

// refreshHome republishes a person's Home tab after a change that affects it. With a
// HomeRefreshDelay, changes within the delay share one publish (a rep logging ten
// follow-ups in a minute costs one views.publish and two queries, not ten), and the
// publish comes after the delay so it shows the last of them.
func (b *Bot) refreshHome(ctx context.Context, userID string) {
	if d := b.cfg.HomeRefreshDelay; d > 0 {
		// This replica's own round first, so that a burst of changes costs one Redis
		// call, not one each; Redis then groups the rounds of all replicas.
		if !b.homes.start(userID) {
			return // a publish from this replica is on its way and will include this change
		}
		first, err := b.state.FirstDelivery(ctx, "home:"+userID, d)
		if err == nil && !first {
			b.homes.end(userID)
			return // another replica's publish is on its way
		}
		select {
		case <-time.After(d + d/10): // past the key's expiry: a change from now on starts a new round
		case <-ctx.Done():
			b.homes.end(userID)
			return
		}
		// Ended before reading what to show: a change committed from here on starts a
		// round of its own rather than being folded into a publish that may miss it.
		b.homes.end(userID)
	}
	if err := b.publishHome(ctx, userID); err != nil {
		b.log.WarnContext(ctx, "refresh home", "user", userID, "err", err)
	}
}

// homeRounds are the Home tab refreshes this replica is waiting to publish, by person.
type homeRounds struct{ waiting sync.Map }

// start reports whether a new round began for the person; false if one is waiting.
func (h *homeRounds) start(userID string) bool {
	_, waiting := h.waiting.LoadOrStore(userID, struct{}{})
	return !waiting
}

func (h *homeRounds) end(userID string) { h.waiting.Delete(userID) }

// showItemState updates the message the button was on (chat.update), replacing the item's
// blocks with how it stands now (and extra controls, if any), so the DM shows the current
// state. On the Home tab the tab itself is republished.
func (b *Bot) showItemState(ctx context.Context, p followup.Person, cb slack.InteractionCallback, key, state string, extra ...slack.Block) error {
	if onHome(cb) {
		return b.publishHome(ctx, p.SlackID)
	}
	return b.updateItem(ctx, messageOf(cb), key, state, extra...)
}

// onHome reports whether a press came from the Home tab.
func onHome(cb slack.InteractionCallback) bool {
	return cb.Container.Type == "view" || cb.View.Type == slack.VTHomeTab
}

// postedMessage is a message the bot posted, as a press on it reports it: enough to replace
// one item in it later, even after a form opened from it was submitted.
type postedMessage struct {
	Channel string       `json:"channel"`
	TS      string       `json:"ts"`
	Text    string       `json:"text"`
	Blocks  slack.Blocks `json:"blocks"`
}

// messageOf is the message a press came from.
func messageOf(cb slack.InteractionCallback) postedMessage {
	m := postedMessage{Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs, Text: cb.Message.Text, Blocks: cb.Message.Blocks}
	if m.Channel == "" {
		m.Channel = cb.Channel.ID
	}
	if m.TS == "" {
		m.TS = cb.Message.Timestamp
	}
	return m
}

// updateItem replaces the blocks of the item key in the message m with a section saying
// state, followed by extra, and leaves every other item as it was.
func (b *Bot) updateItem(ctx context.Context, m postedMessage, key, state string, extra ...slack.Block) error {
	var blocks []slack.Block
	replaced := false
	for _, blk := range m.Blocks.BlockSet {
		if itemOfBlock(blk.ID()) != key {
			blocks = append(blocks, blk)
			continue
		}
		if !replaced {
			blocks = append(blocks, slack.NewSectionBlock(mrkdwn(state), nil, nil, slack.SectionBlockOptionBlockID("state:"+key+":"+strconv.FormatInt(b.now().UnixNano(), 36))))
			blocks = append(blocks, extra...)
			replaced = true
		}
	}
	if !replaced {
		blocks = append(append(blocks, section(state)), extra...)
	}
	_, _, _, err := b.slack.UpdateMessageContext(ctx, m.Channel, m.TS, messageOptions(response{Text: m.Text, Blocks: blocks})...)
	return err
}
