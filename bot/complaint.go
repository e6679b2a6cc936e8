package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// The complaint forms and the buttons on complaint messages. Inputs keep block_id =
// action_id, as in every form.
const (
	callbackNewComplaint     = "new_complaint"
	callbackResolveComplaint = "resolve_complaint"

	fieldContent      = "content"
	fieldReceivedAt   = "received_at"
	fieldReceivedTime = "received_time"
	fieldHandler      = "handler"
	fieldDueOn        = "due_on"
	fieldResolution   = "resolution"
	fieldSatisfied    = "satisfied"

	actionComplaintStart   = "complaint_start"   // value: the complaint id
	actionComplaintResolve = "complaint_resolve" // value: the complaint id; opens the Resolve form
)

// complaintKey names a complaint inside block ids, as itemKey names actions and customers.
func complaintKey(id int64) string { return "k" + strconv.FormatInt(id, 10) }

// complaintModal is what the New complaint form starts with.
type complaintModal struct {
	Today    time.Time          // the filer's today, the date picker's default
	Customer *followup.Customer // preselected from `/followup complaint <customer>`
	Deadline followup.ComplaintDeadline
	Metadata string
}

// complaintView builds the New complaint modal (callback_id new_complaint).
func complaintView(t texter, d complaintModal) slack.ModalViewRequest {
	received := slack.NewDatePickerBlockElement(fieldReceivedAt)
	received.InitialDate = d.Today.Format(time.DateOnly)
	handler := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain(t("ph_handler")), fieldHandler)
	if d.Customer != nil {
		handler.InitialUser = d.Customer.OwnerID
	}
	return modal(t, callbackNewComplaint, "title_complaint", "submit_save", "close_cancel", d.Metadata,
		input(fieldCustomer, t("label_customer"), customerSelect(t, d.Customer), false, ""),
		input(fieldContent, t("label_complaint_content"), textInput(fieldContent, t("ph_complaint_content"), true, followup.MaxTextLen, ""), false, ""),
		input(fieldReceivedAt, t("label_received_at"), received, false, ""),
		input(fieldReceivedTime, t("label_received_time"), slack.NewTimePickerBlockElement(fieldReceivedTime), true, t("hint_received_time")),
		input(fieldHandler, t("label_handler"), handler, true, t("hint_handler")),
		input(fieldDueOn, t("label_due_on"), slack.NewDatePickerBlockElement(fieldDueOn), true, deadlineHint(t, d.Deadline)),
	)
}

// deadlineHint is the hint under the deadline picker: what happens when it is left empty.
func deadlineHint(t texter, d followup.ComplaintDeadline) string {
	switch {
	case d.Days > 0 && d.Hours > 0:
		return t("hint_due_on_days_hours", d.Days, d.Hours)
	case d.Hours > 0:
		return t("hint_due_on_hours", d.Hours)
	}
	return t("hint_due_on_days", d.Days)
}

// openComplaint answers `/followup complaint [customer]` with the New complaint form, the
// customer preselected when the words name exactly one. Anything else opens it empty: the
// typeahead finds the customer, and the trigger would not outlive a question first.
func (b *Bot) openComplaint(ctx context.Context, p followup.Person, triggerID, ref string, from origin) response {
	return b.openView(ctx, p, triggerID, complaintView(b.texter(p.Locale), complaintModal{
		Today: b.today(p), Customer: b.preselect(ctx, p, ref), Deadline: b.cfg.ComplaintDeadline, Metadata: from.encode(),
	}))
}

// preselect finds the one customer ref names among those p may see, or nil.
func (b *Bot) preselect(ctx context.Context, p followup.Person, ref string) *followup.Customer {
	if strings.TrimSpace(ref) == "" {
		return nil
	}
	matches, err := b.store.ResolveCustomer(ctx, ref, p.Visibility())
	if err != nil {
		b.log.WarnContext(ctx, "resolve customer for a form", "err", err)
		return nil
	}
	if len(matches) != 1 {
		return nil
	}
	return &matches[0]
}

// submitComplaint validates the New complaint form, works out its deadline in the
// handler's working time, commits it, and only then closes the form, confirms and DMs the
// handler.
func (b *Bot) submitComplaint(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	f, loc, t := viewForm(view), b.loc(p), b.texter(p.Locale)
	fe := followup.FieldErrors{}
	c, err := b.formCustomer(ctx, p, f, fe)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	day, ok := f.date(fieldReceivedAt, loc)
	if !ok {
		day = b.today(p)
	}
	received := b.happenedAt(day, p)
	if at, err := time.ParseInLocation(time.DateOnly+" 15:04", day.Format(time.DateOnly)+" "+f.value(fieldReceivedTime), loc); err == nil {
		received = at
	}
	nc := followup.NewComplaint{CustomerID: c.ID, ReceivedAt: received, Content: f.value(fieldContent), HandlerID: f.value(fieldHandler), CreatedBy: p.SlackID}
	if nc.HandlerID == "" {
		nc.HandlerID = c.OwnerID
	}
	nc.Normalize()
	var handler followup.Person
	if nc.HandlerID != "" {
		if handler, err = b.person(ctx, nc.HandlerID); err != nil {
			return b.saveFailed(ctx, p, view, err)
		}
		sched := b.schedule(ctx, handler)
		if due, ok := f.date(fieldDueOn, time.UTC); ok {
			nc.DueAt = sched.EndOfWorkingDay(due)
		} else if nc.DueAt = b.cfg.ComplaintDeadline.DueAt(received, sched); !nc.DueAt.After(b.now()) {
			fe[fieldDueOn] = "The usual deadline for a complaint received then has passed: pick the day it must be resolved by."
		}
	}
	mergeFieldErrors(fe, nc.Validate(b.now()))
	if c.ID == 0 {
		delete(fe, fieldHandler) // the handler defaults to the owner of a customer not picked yet
		delete(fe, fieldDueOn)
	}
	if len(fe) > 0 {
		return b.fieldErrors(p, fe)
	}
	k, err := b.store.CreateComplaint(ctx, nc)
	if err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	from := decodeOrigin(view.PrivateMetadata)
	text := t("cmp_saved", esc(clip(k.CustomerName, 200)), esc(k.CustomerCode), k.HandlerID, b.formatMoment(*k.DueAt, p))
	b.later(ctx, "confirm complaint", func(ctx context.Context) error {
		if _, _, err := b.dm(ctx, handler.SlackID, b.complaintMessage(handler, k, "cmp_new", p.SlackID)); err != nil {
			b.log.WarnContext(ctx, "tell the complaint's handler", "user", handler.SlackID, "err", err)
		}
		b.refreshHome(ctx, handler.SlackID)
		return b.notify(ctx, p, from, ephemeral(text, section(text)))
	})
	return nil
}

// complaintText is the mrkdwn body of a complaint for p: what it is about, opening with
// the line lead (a catalog key taking the customer's name and code, then who and when as
// each lead needs), then the customer's words quoted.
func (b *Bot) complaintText(p followup.Person, k followup.Complaint, lead, who string) string {
	t := b.texter(p.Locale)
	name, code := esc(clip(k.CustomerName, 200)), esc(k.CustomerCode)
	due := t("card_never")
	if k.DueAt != nil {
		due = b.formatMoment(*k.DueAt, p)
	}
	var head string
	switch lead {
	case "cmp_new":
		head = t(lead, name, code, who, b.formatMoment(k.ReceivedAt, p), due)
	case "cmp_due":
		head = t(lead, name, code, b.formatMoment(k.ReceivedAt, p), due)
	default: // cmp_escalated, cmp_nudge, cmp_reassigned: someone and the deadline
		head = t(lead, who, name, code, due)
	}
	state := t("complaint_status_" + string(k.Status))
	if k.Status == followup.ComplaintInProgress && k.StartedAt != nil {
		state = t("cmp_started_on", b.formatDay(*k.StartedAt, p))
	}
	return head + "\n>" + escClip(oneLine(k.Content), 1500) + "\n" + t("cmp_status_line", state)
}

// complaintMessage is a complaint for p with what p can do about it: Start handling while
// nobody has, and Resolve.
func (b *Bot) complaintMessage(p followup.Person, k followup.Complaint, lead, who string) response {
	text := b.complaintText(p, k, lead, who)
	key := complaintKey(k.ID)
	return response{Text: text, Blocks: []slack.Block{
		slack.NewSectionBlock(mrkdwn(text), nil, nil, slack.SectionBlockOptionBlockID("rem:"+key)),
		slack.NewActionBlock("act:"+key, b.complaintButtons(p, k)...),
	}}
}

// complaintButtons are Start handling (while the complaint is open and not started) and
// Resolve….
func (b *Bot) complaintButtons(p followup.Person, k followup.Complaint) []slack.BlockElement {
	t := b.texter(p.Locale)
	id := strconv.FormatInt(k.ID, 10)
	resolve := button(actionComplaintResolve, t("btn_resolve"), id)
	resolve.Style = slack.StylePrimary
	if k.Status != followup.ComplaintOpen {
		return []slack.BlockElement{resolve}
	}
	return []slack.BlockElement{button(actionComplaintStart, t("btn_start"), id), resolve}
}

// complaintMenu is the overflow menu of a complaint on the Home tab.
func (b *Bot) complaintMenu(p followup.Person, k followup.Complaint) *slack.OverflowBlockElement {
	t := b.texter(p.Locale)
	key := complaintKey(k.ID)
	opts := []*slack.OptionBlockObject{option("resolve|"+key, t("btn_resolve"))}
	if k.Status == followup.ComplaintOpen {
		opts = append([]*slack.OptionBlockObject{option("start|"+key, t("btn_start"))}, opts...)
	}
	return slack.NewOverflowBlockElement(actionReminderMenu, opts...)
}

// mayHandleComplaint returns nil when p may act on the complaint (start it, resolve it):
// its handler, or whoever may work on its customer (followup.WorkOnCustomer: the owner,
// the reps it is shared with, the owner's manager, admins); for nudging or reassigning it
// (manager is true) whoever may reassign the customer's work. Otherwise the refusal.
func (b *Bot) mayHandleComplaint(ctx context.Context, p followup.Person, k followup.Complaint, manager bool) error {
	perm := followup.WorkOnCustomer
	if manager {
		perm = followup.ReassignCustomer
	} else if p.SlackID == k.HandlerID {
		return nil
	}
	_, err := b.customerFor(ctx, p, perm, k.CustomerID)
	return err
}

// applyComplaintVerb handles Start handling and, on escalations, Nudge and Reassign.
// Start answers with the controls that remain (Resolve).
func (b *Bot) applyComplaintVerb(ctx context.Context, p followup.Person, verb string, id int64) (string, []slack.Block, error) {
	t := b.texter(p.Locale)
	k, err := b.store.FindComplaint(ctx, id)
	if err != nil {
		return "", nil, err
	}
	if err := b.mayHandleComplaint(ctx, p, k, verb == "nudge" || strings.HasPrefix(verb, "reassign:")); err != nil {
		return "", nil, err
	}
	switch {
	case verb == "start":
		if k, err = b.store.StartComplaint(ctx, id, p.SlackID); err != nil {
			return "", nil, err
		}
		b.refreshHome(ctx, k.HandlerID)
		state := t("cmp_state_started", p.SlackID, esc(clip(k.CustomerName, 200)), b.formatDay(*k.StartedAt, p))
		return state, []slack.Block{slack.NewActionBlock("act:"+complaintKey(k.ID), b.complaintButtons(p, k)...)}, nil
	case verb == "nudge":
		if !k.Open() {
			return "", nil, followup.Errorf(followup.EINVALID, "That complaint is already resolved.")
		}
		handler, err := b.person(ctx, k.ResponsibleID())
		if err != nil {
			return "", nil, err
		}
		if _, _, err := b.dm(ctx, handler.SlackID, b.complaintMessage(handler, k, "cmp_nudge", p.SlackID)); err != nil {
			return "", nil, err
		}
		return t("state_nudged", handler.SlackID), nil, nil
	case strings.HasPrefix(verb, "reassign:"):
		to, err := b.person(ctx, strings.TrimPrefix(verb, "reassign:"))
		if err != nil {
			return "", nil, err
		}
		if k, err = b.store.ReassignComplaint(ctx, id, p.SlackID, to.SlackID); err != nil {
			return "", nil, err
		}
		if _, _, err := b.dm(ctx, to.SlackID, b.complaintMessage(to, k, "cmp_reassigned", p.SlackID)); err != nil {
			b.log.WarnContext(ctx, "tell the complaint's new handler", "user", to.SlackID, "err", err)
		}
		b.refreshHome(ctx, to.SlackID)
		return t("state_reassigned", to.SlackID), nil, nil
	}
	return "", nil, followup.Errorf(followup.EINVALID, "That button is out of date.")
}

// resolveFlow is what the Resolve form needs from where it was opened: the message to show
// the outcome in. It waits in Redis, since a bundle's blocks may not fit private_metadata.
type resolveFlow struct {
	UserID  string         `json:"u"`
	Message *postedMessage `json:"m,omitempty"` // nil when opened from the Home tab
}

// openResolve opens the Resolve form for a complaint, now, while the trigger is fresh. A
// complaint that cannot be resolved (gone, resolved, not p's) is answered instead.
func (b *Bot) openResolve(ctx context.Context, p followup.Person, cb slack.InteractionCallback, id int64) {
	from := origin{Channel: cb.Channel.ID, ResponseURL: cb.ResponseURL, ComplaintID: id}
	k, err := b.store.FindComplaint(ctx, id)
	switch {
	case err != nil:
	case !k.Open():
		err = followup.Errorf(followup.EINVALID, "That complaint is already resolved.")
	default:
		err = b.mayHandleComplaint(ctx, p, k, false)
	}
	if err != nil {
		b.later(ctx, "refuse resolve", func(ctx context.Context) error {
			return b.notify(ctx, p, from, ephemeral(b.failureText(p.Locale, err)))
		})
		return
	}
	flow := resolveFlow{UserID: p.SlackID}
	if !onHome(cb) {
		m := messageOf(cb)
		flow.Message = &m
	}
	key := "resolve:" + p.SlackID + ":" + strconv.FormatInt(b.now().UnixNano(), 36)
	if err := b.state.SaveState(ctx, key, flow, flowTTL); err != nil {
		b.log.WarnContext(ctx, "save resolve flow", "err", err)
		key = "" // the complaint can still be resolved; its message just keeps its buttons
	}
	from.StateKey = key
	b.openView(ctx, p, cb.TriggerID, resolveView(b.texter(p.Locale), b.complaintSummary(p, k), from.encode()))
}

// complaintSummary is the complaint in two lines, atop the Resolve form.
func (b *Bot) complaintSummary(p followup.Person, k followup.Complaint) string {
	return b.tr(p.Locale, "cmp_summary", esc(clip(k.CustomerName, 200)), esc(k.CustomerCode), b.formatDay(k.ReceivedAt, p)) +
		"\n>" + escClip(oneLine(k.Content), 1500)
}

// resolveView builds the Resolve complaint modal: how it was resolved, and whether the
// customer is satisfied.
func resolveView(t texter, summary, metadata string) slack.ModalViewRequest {
	satisfied := slack.NewRadioButtonsBlockElement(fieldSatisfied,
		option("yes", t("satisfied_yes")), option("no", t("satisfied_no")))
	return modal(t, callbackResolveComplaint, "title_resolve", "submit_resolve", "close_cancel", metadata,
		section(summary),
		input(fieldResolution, t("label_resolution"), textInput(fieldResolution, t("ph_resolution"), true, followup.MaxTextLen, ""), false, ""),
		input(fieldSatisfied, t("label_satisfied"), satisfied, false, ""),
	)
}

// submitResolve closes the complaint (which cancels its pending reminders), then shows the
// outcome where Resolve was pressed and tells the handler and the customer's owner.
func (b *Bot) submitResolve(ctx context.Context, p followup.Person, view slack.View) *slack.ViewSubmissionResponse {
	f := viewForm(view)
	from := decodeOrigin(view.PrivateMetadata)
	r := followup.ComplaintResolution{Resolution: strings.TrimSpace(f.value(fieldResolution)), By: p.SlackID}
	switch f.value(fieldSatisfied) {
	case "yes":
		r.Satisfied = ptr(true)
	case "no":
		r.Satisfied = ptr(false)
	}
	if err := r.Validate(); err != nil {
		return b.saveFailed(ctx, p, view, err)
	}
	k, err := b.store.FindComplaint(ctx, from.ComplaintID)
	if err == nil {
		err = b.mayHandleComplaint(ctx, p, k, false)
	}
	if err == nil {
		k, err = b.store.ResolveComplaint(ctx, from.ComplaintID, r)
	}
	switch followup.ErrorCode(err) {
	case "":
	case followup.EINVALID, followup.ENOTFOUND:
		return b.fieldErrors(p, followup.FieldErrors{fieldResolution: followup.ErrorMessage(err)})
	default:
		return b.saveFailed(ctx, p, view, err)
	}
	b.later(ctx, "confirm resolved complaint", func(ctx context.Context) error {
		return b.complaintResolved(ctx, p, k, from)
	})
	return nil
}

func ptr[T any](v T) *T { return &v }

// complaintResolved shows a resolved complaint where Resolve was pressed (the message's
// item, else a note), and tells its handler and the customer's owner who did not press it.
func (b *Bot) complaintResolved(ctx context.Context, p followup.Person, k followup.Complaint, from origin) error {
	state := b.resolvedText(p, k)
	shown := false
	var flow resolveFlow
	if from.StateKey != "" && b.state.TakeState(ctx, from.StateKey, &flow) == nil && flow.UserID == p.SlackID && flow.Message != nil {
		if err := b.updateItem(ctx, *flow.Message, complaintKey(k.ID), state); err != nil {
			b.log.WarnContext(ctx, "show the resolved complaint", "err", err)
		} else {
			shown = true
		}
	}
	var err error
	if !shown {
		err = b.notify(ctx, p, from, ephemeral(state, section(state)))
	}
	told := map[string]bool{p.SlackID: true}
	for _, id := range []string{k.HandlerID, k.OwnerID} {
		if id == "" || told[id] {
			continue
		}
		told[id] = true
		if to, perr := b.person(ctx, id); perr == nil {
			b.tell(ctx, to, b.resolvedText(to, k))
		} else {
			b.log.WarnContext(ctx, "tell about a resolved complaint", "user", id, "err", perr)
		}
	}
	b.refreshHome(ctx, k.HandlerID)
	return err
}

// resolvedText says, in p's language, that the complaint was resolved, how, and whether the
// customer was satisfied.
func (b *Bot) resolvedText(p followup.Person, k followup.Complaint) string {
	t := b.texter(p.Locale)
	key := "cmp_resolved_unsatisfied"
	if k.Satisfied != nil && *k.Satisfied {
		key = "cmp_resolved_satisfied"
	}
	when := ""
	if k.ResolvedAt != nil {
		when = b.formatDay(*k.ResolvedAt, p)
	}
	return t(key, k.ResolvedBy, esc(clip(k.CustomerName, 200)), esc(k.CustomerCode), when, escClip(oneLine(k.Resolution), 1500))
}
