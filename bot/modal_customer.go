package bot

import (
	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
)

// Block ids of the New customer form (DESIGN §2).
const (
	fieldName         = "name"
	fieldCode         = "code"
	fieldIndustry     = "industry"
	fieldTier         = "tier"
	fieldSource       = "source"
	fieldContactName  = "contact_name"
	fieldContactPhone = "contact_phone"
	fieldContactEmail = "contact_email"
	fieldIDNumber     = followup.FieldIDNumber
	fieldNotes        = "notes"
)

// sources are the customer origins teams track; "other" keeps the list honest.
func sources() []string {
	return []string{"trade_show", "referral", "inbound", "ads", "partner", "outbound", "other"}
}

// newCustomerView builds the New customer modal (callback_id new_customer), with the name
// prefilled when the rep came from a quick log naming an unknown customer.
func newCustomerView(t texter, name, metadata string) slack.ModalViewRequest {
	tiers := make([]*slack.OptionBlockObject, 0, 4)
	for _, tier := range followup.Tiers() {
		tiers = append(tiers, option(string(tier), t("tier_"+string(tier))))
	}
	srcs := make([]*slack.OptionBlockObject, 0, len(sources()))
	for _, s := range sources() {
		srcs = append(srcs, option(s, t("source_"+s)))
	}
	email := textInput(fieldContactEmail, "name@example.com", false, 254, "")
	return modal(t, callbackNewCustomer, "title_new", "submit_save", "close_cancel", metadata,
		input(fieldName, t("label_name"), textInput(fieldName, "", false, followup.MaxNameLen, name), false, ""),
		input(fieldCode, t("label_code"), textInput(fieldCode, "", false, 32, ""), true, t("hint_code")),
		input(fieldIndustry, t("label_industry"), textInput(fieldIndustry, "", false, followup.MaxShortLen, ""), false, ""),
		input(fieldTier, t("label_tier"), slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldTier, tiers...), false, ""),
		input(fieldSource, t("label_source"), slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, fieldSource, srcs...), false, ""),
		input(fieldContactName, t("label_contact_name"), textInput(fieldContactName, "", false, followup.MaxShortLen, ""), false, ""),
		input(fieldContactPhone, t("label_phone"), textInput(fieldContactPhone, "+86 138 0000 5678", false, 32, ""), false, ""),
		input(fieldContactEmail, t("label_email"), email, true, ""),
		input(fieldIDNumber, t("label_id_number"), textInput(fieldIDNumber, "91310000MA1FL8XQ37", false, 40, ""), true, t("hint_id_number")),
		input(fieldNotes, t("label_notes"), textInput(fieldNotes, "", true, followup.MaxTextLen, ""), true, ""),
	)
}

// duplicateView is pushed over the New customer form when the customer looks like one
// that exists, so nobody creates a silent duplicate.
func duplicateView(t texter, nc followup.NewCustomer, matches []followup.Customer, metadata string) slack.ModalViewRequest {
	lines := t("dup_intro")
	for _, m := range matches {
		lines += "\n" + t("dup_match_line", esc(m.Name), esc(m.Code), m.OwnerID)
	}
	return modal(t, callbackDuplicate, "title_duplicate", "submit_anyway", "close_back", metadata,
		section(lines),
		section(t("dup_question", esc(nc.Name))),
	)
}

// noticeView replaces a modal with a message and a close button, for flows that cannot go on.
func noticeView(t texter, text string) slack.ModalViewRequest {
	return modal(t, "", "title_new", "", "close_cancel", "", section(text))
}
