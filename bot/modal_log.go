package bot

import (
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// Callback and block ids of the forms; DESIGN §2 makes them a contract.
const (
	callbackLogFollowUp = "log_followup"
	callbackNewCustomer = "new_customer"
	callbackDuplicate   = "new_customer_duplicate"
	callbackAddNext     = "add_next_action"

	fieldCustomer   = "customer"
	fieldMethod     = "method"
	fieldHappenedOn = "happened_on"
	fieldSummary    = "summary"
	fieldFeedback   = "feedback"
	fieldMood       = "mood"
	fieldNextAction = "next_action"
	fieldNextDue    = "next_due"
	fieldStage      = "stage"
)

// logModal is what the Log follow-up form starts with: empty but for today's date, or
// prefilled from a message, a reminder, a conversation or a follow-up being edited.
type logModal struct {
	Today      time.Time          // the rep's today, for the date picker's default
	Customer   *followup.Customer // preselected customer, if any
	Day        time.Time          // when it happened, if not today
	Method     followup.Method
	Summary    string
	Feedback   string
	Mood       followup.Mood
	NextAction string
	NextDue    time.Time
	Metadata   string // private_metadata: where to confirm afterwards, what it replaces
}

// logFollowUpView builds the Log follow-up modal (callback_id log_followup).
func logFollowUpView(t texter, d logModal) slack.ModalViewRequest {
	customer := customerSelect(t, d.Customer)
	methods := make([]*slack.OptionBlockObject, 0, len(followup.Methods()))
	for _, m := range followup.Methods() {
		methods = append(methods, option(string(m), t("method_"+string(m))))
	}
	method := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldMethod, methods...)
	method.InitialOption = methods[0]
	for i, m := range followup.Methods() {
		if m == d.Method {
			method.InitialOption = methods[i]
		}
	}

	happened := slack.NewDatePickerBlockElement(fieldHappenedOn)
	happened.InitialDate = d.Today.Format(time.DateOnly)
	if !d.Day.IsZero() {
		happened.InitialDate = d.Day.Format(time.DateOnly)
	}

	moods := make([]*slack.OptionBlockObject, 0, 3)
	for _, m := range followup.Moods() {
		moods = append(moods, option(string(m), t("mood_"+string(m))))
	}
	mood := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldMood, moods...)
	for i, m := range followup.Moods() {
		if m == d.Mood {
			mood.InitialOption = moods[i]
		}
	}
	due := slack.NewDatePickerBlockElement(fieldNextDue)
	if !d.NextDue.IsZero() {
		due.InitialDate = d.NextDue.Format(time.DateOnly)
	}

	return modal(t, callbackLogFollowUp, "title_log", "submit_save", "close_cancel", d.Metadata,
		input(fieldCustomer, t("label_customer"), customer, false, ""),
		input(fieldMethod, t("label_method"), method, false, ""),
		input(fieldHappenedOn, t("label_happened_on"), happened, false, ""),
		input(fieldSummary, t("label_summary"), textInput(fieldSummary, "", true, followup.MaxTextLen, d.Summary), false, t("hint_summary")),
		input(fieldFeedback, t("label_feedback"), textInput(fieldFeedback, "", true, followup.MaxTextLen, d.Feedback), true, ""),
		input(fieldMood, t("label_mood"), mood, true, ""),
		input(fieldNextAction, t("label_next_action"), textInput(fieldNextAction, t("ph_next_action"), false, followup.MaxTextLen, d.NextAction), true, ""),
		input(fieldNextDue, t("label_next_due"), due, true, t("hint_next_due")),
		input(fieldStage, t("label_stage"), slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldStage, stageOptions(t)...), true, ""),
		input(fieldLostReason, t("label_lost_reason"), slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldLostReason, lostReasonOptions(t)...), true, t("hint_lost_reason")),
	)
}

func stageOptions(t texter) []*slack.OptionBlockObject {
	out := make([]*slack.OptionBlockObject, 0, len(followup.Stages()))
	for _, s := range followup.Stages() {
		out = append(out, option(string(s), t("stage_"+string(s))))
	}
	return out
}

// customerSelect is the customer typeahead every form starts with (an external_select
// answered from Postgres), with c preselected when it is known.
func customerSelect(t texter, c *followup.Customer) *slack.SelectBlockElement {
	customer := slack.NewOptionsSelectBlockElement(slack.OptTypeExternal, plain(t("ph_customer")), fieldCustomer)
	minQuery := 1
	customer.MinQueryLength = &minQuery
	if c != nil {
		customer.InitialOption = customerOption(*c)
	}
	return customer
}

// customerOption is how a customer appears in the typeahead: name and code, the id as value.
func customerOption(c followup.Customer) *slack.OptionBlockObject {
	return option(strconv.FormatInt(c.ID, 10), c.Name+" ("+c.Code+")")
}

// addNextView asks for the next step a follow-up was saved without.
func addNextView(t texter, customer followup.Customer, metadata string) slack.ModalViewRequest {
	return modal(t, callbackAddNext, "title_next", "submit_save", "close_cancel", metadata,
		section("*"+esc(customer.Name)+"* ("+esc(customer.Code)+")"),
		input(fieldNextAction, t("label_next_action"), textInput(fieldNextAction, t("ph_next_action"), false, followup.MaxTextLen, ""), false, ""),
		input(fieldNextDue, t("label_next_due"), slack.NewDatePickerBlockElement(fieldNextDue), true, t("hint_next_due")),
	)
}
