package slackfake_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/slack-go/slack"
)

func rep(n int) string { return strings.Repeat("x", n) }

// items repeats a JSON item n times as a JSON array's contents.
func items(item string, n int) string {
	list := make([]string, n)
	for i := range list {
		list[i] = strings.ReplaceAll(item, "#", fmt.Sprint(i))
	}
	return strings.Join(list, ",")
}

const (
	okButton = `{"type":"button","text":{"type":"plain_text","text":"Go"},"action_id":"b#"}`
	okOption = `{"text":{"type":"plain_text","text":"Option"},"value":"v#"}`
)

func TestValidateBlocks(t *testing.T) {
	cases := []struct {
		name    string
		surface string
		blocks  string
		code    string // "" when valid
		message string // part of one of the messages
	}{
		{"section text of 3000", "message", `[{"type":"section","text":{"type":"mrkdwn","text":"` + rep(3000) + `"}}]`, "", ""},
		{"section text of 3001", "message", `[{"type":"section","text":{"type":"mrkdwn","text":"` + rep(3001) + `"}}]`,
			"invalid_blocks", "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"},
		{"empty section text", "message", `[{"type":"section","text":{"type":"mrkdwn","text":""}}]`,
			"invalid_blocks", "must be more than 0 characters [json-pointer:/blocks/0/text/text]"},
		{"section without text or fields", "message", `[{"type":"section"}]`, "invalid_blocks", "missing required field: text [json-pointer:/blocks/0]"},
		{"11 fields", "message", `[{"type":"section","fields":[` + items(`{"type":"mrkdwn","text":"f"}`, 11) + `]}]`,
			"invalid_blocks", "no more than 10 items allowed [json-pointer:/blocks/0/fields]"},
		{"field of 2001", "message", `[{"type":"section","fields":[{"type":"mrkdwn","text":"` + rep(2001) + `"}]}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/fields/0/text]"},
		{"block_id of 256", "message", `[{"type":"divider","block_id":"` + rep(256) + `"}]`, "invalid_blocks", "[json-pointer:/blocks/0/block_id]"},
		{"duplicate block_id", "message", `[{"type":"divider","block_id":"a"},{"type":"divider","block_id":"a"}]`,
			"invalid_blocks", "duplicate block_id [json-pointer:/blocks/1/block_id]"},
		{"header of 150", "message", `[{"type":"header","text":{"type":"plain_text","text":"` + rep(150) + `"}}]`, "", ""},
		{"header of 151", "message", `[{"type":"header","text":{"type":"plain_text","text":"` + rep(151) + `"}}]`,
			"invalid_blocks", "must be less than 151 characters [json-pointer:/blocks/0/text/text]"},
		{"mrkdwn header", "message", `[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]`,
			"invalid_blocks", "must be a valid enum value [json-pointer:/blocks/0/text/type]"},
		{"emoji on mrkdwn", "message", `[{"type":"section","text":{"type":"mrkdwn","text":"t","emoji":true}}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/text/emoji]"},
		{"25 actions", "message", `[{"type":"actions","elements":[` + items(okButton, 25) + `]}]`, "", ""},
		{"26 actions", "message", `[{"type":"actions","elements":[` + items(okButton, 26) + `]}]`,
			"invalid_blocks", "no more than 25 items allowed [json-pointer:/blocks/0/elements]"},
		{"duplicate action_id", "message", `[{"type":"actions","elements":[` + strings.ReplaceAll(items(okButton, 2), `b0`, `b1`) + `]}]`,
			"invalid_blocks", "duplicate action_id [json-pointer:/blocks/0/elements/1/action_id]"},
		{"11 context elements", "message", `[{"type":"context","elements":[` + items(`{"type":"mrkdwn","text":"c"}`, 11) + `]}]`,
			"invalid_blocks", "no more than 10 items allowed [json-pointer:/blocks/0/elements]"},
		{"button text of 76", "message", `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"` + rep(76) + `"}}]}]`,
			"invalid_blocks", "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"},
		{"button value of 2001", "message", `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"b"},"value":"` + rep(2001) + `"}]}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/elements/0/value]"},
		{"button url of 3001", "message", `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"b"},"url":"` + rep(3001) + `"}]}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/elements/0/url]"},
		{"button style", "message", `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"b"},"style":"green"}]}]`,
			"invalid_blocks", "must be a valid enum value [json-pointer:/blocks/0/elements/0/style]"},
		{"action_id of 256", "message", `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"b"},"action_id":"` + rep(256) + `"}]}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/elements/0/action_id]"},
		{"confirm title of 101", "message", `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"b"},"confirm":{"title":{"type":"plain_text","text":"` + rep(101) + `"},"text":{"type":"plain_text","text":"t"},"confirm":{"type":"plain_text","text":"y"},"deny":{"type":"plain_text","text":"n"}}}]}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/elements/0/confirm/title/text]"},
		{"option text of 76", "message", `[{"type":"actions","elements":[{"type":"static_select","options":[{"text":{"type":"plain_text","text":"` + rep(76) + `"},"value":"v"}]}]}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/elements/0/options/0/text/text]"},
		{"option value of 151", "message", `[{"type":"actions","elements":[{"type":"static_select","options":[{"text":{"type":"plain_text","text":"o"},"value":"` + rep(151) + `"}]}]}]`,
			"invalid_blocks", "must be less than 151 characters [json-pointer:/blocks/0/elements/0/options/0/value]"},
		{"100 options", "message", `[{"type":"actions","elements":[{"type":"static_select","options":[` + items(okOption, 100) + `]}]}]`, "", ""},
		{"101 options", "message", `[{"type":"actions","elements":[{"type":"static_select","options":[` + items(okOption, 101) + `]}]}]`,
			"invalid_blocks", "no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]"},
		{"options and option_groups", "message", `[{"type":"actions","elements":[{"type":"static_select","options":[` + okOption + `],"option_groups":[{"label":{"type":"plain_text","text":"g"},"options":[` + okOption + `]}]}]}]`,
			"invalid_blocks", "exactly one of options and option_groups"},
		{"bad initial_date", "message", `[{"type":"actions","elements":[{"type":"datepicker","initial_date":"2026/03/02"}]}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/elements/0/initial_date]"},
		{"image without alt_text", "message", `[{"type":"image","image_url":"https://example.com/a.png"}]`,
			"invalid_blocks", "missing required field: alt_text [json-pointer:/blocks/0]"},
		{"unknown block type", "message", `[{"type":"sparkle"}]`, "invalid_blocks", "must be a valid enum value [json-pointer:/blocks/0/type]"},
		{"block without type", "message", `[{"text":"x"}]`, "invalid_blocks", "missing required field: type [json-pointer:/blocks/0]"},
		{"element not allowed there", "message", `[{"type":"section","text":{"type":"mrkdwn","text":"t"},"accessory":{"type":"plain_text_input"}}]`,
			"invalid_blocks", "[json-pointer:/blocks/0/accessory/type]"},
		{"not JSON", "message", `[{"type":`, "invalid_blocks_format", ""},
		{"not an array", "message", `{"type":"divider"}`, "invalid_blocks_format", ""},
		{"50 blocks", "message", `[` + items(`{"type":"divider"}`, 50) + `]`, "", ""},
		{"51 blocks", "message", `[` + items(`{"type":"divider"}`, 51) + `]`, "invalid_blocks", "no more than 50 items allowed [json-pointer:/blocks]"},
		{"100 blocks in a modal", "modal", `[` + items(`{"type":"divider"}`, 100) + `]`, "", ""},
		{"101 blocks in a modal", "modal", `[` + items(`{"type":"divider"}`, 101) + `]`, "invalid_arguments", "no more than 100 items allowed"},
		{"markdown block in a modal", "modal", `[{"type":"markdown","text":"**hi**"}]`, "invalid_arguments", "[json-pointer:/blocks/0/type]"},
		{"12,000 characters of text", "message", `[` + items(`{"type":"section","text":{"type":"mrkdwn","text":"`+rep(3000)+`"}}`, 4) + `]`, "", ""},
		{"12,001 characters of text", "message", `[` + items(`{"type":"section","text":{"type":"mrkdwn","text":"`+rep(3000)+`"}}`, 4) + `,{"type":"context","elements":[{"type":"plain_text","text":"x"}]}]`,
			"msg_blocks_too_long", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkValidation(t, slackfake.ValidateBlocks(json.RawMessage(tc.blocks), tc.surface), tc.code, tc.message)
		})
	}
}

func TestValidateInputs(t *testing.T) {
	input := func(element string) string {
		return `{"type":"modal","title":{"type":"plain_text","text":"T"},"submit":{"type":"plain_text","text":"Save"},` +
			`"blocks":[{"type":"input","block_id":"b","label":{"type":"plain_text","text":"Label"},"element":` + element + `}]}`
	}
	cases := []struct {
		name, view, code, message string
	}{
		{"plain_text_input", input(`{"type":"plain_text_input","action_id":"a","multiline":true,"min_length":0,"max_length":3000}`), "", ""},
		{"label of 2001", strings.Replace(input(`{"type":"plain_text_input"}`), `"text":"Label"`, `"text":"`+rep(2001)+`"`, 1),
			"invalid_arguments", "[json-pointer:/view/blocks/0/label/text]"},
		{"placeholder of 151", input(`{"type":"plain_text_input","placeholder":{"type":"plain_text","text":"` + rep(151) + `"}}`),
			"invalid_arguments", "must be less than 151 characters [json-pointer:/view/blocks/0/element/placeholder/text]"},
		{"min_length of -1", input(`{"type":"plain_text_input","min_length":-1}`), "invalid_arguments", "[json-pointer:/view/blocks/0/element/min_length]"},
		{"max_length of 3001", input(`{"type":"plain_text_input","max_length":3001}`), "invalid_arguments", "[json-pointer:/view/blocks/0/element/max_length]"},
		{"max_length of 0", input(`{"type":"plain_text_input","max_length":0}`), "invalid_arguments", "[json-pointer:/view/blocks/0/element/max_length]"},
		{"min_length over max_length", input(`{"type":"plain_text_input","min_length":10,"max_length":5}`), "invalid_arguments", "max_length"},
		{"button in an input", input(`{"type":"button","text":{"type":"plain_text","text":"b"}}`), "invalid_arguments", "[json-pointer:/view/blocks/0/element/type]"},
		{"input without element", strings.Replace(input(`{}`), `,"element":{}`, ``, 1), "invalid_arguments", "missing required field: element"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkValidation(t, slackfake.ValidateView(json.RawMessage(tc.view)), tc.code, tc.message)
		})
	}
}

func TestValidateView(t *testing.T) {
	view := func(mutate func(v map[string]any)) string {
		v := map[string]any{
			"type":   "modal",
			"title":  map[string]any{"type": "plain_text", "text": "Log follow-up"},
			"submit": map[string]any{"type": "plain_text", "text": "Save"},
			"close":  map[string]any{"type": "plain_text", "text": "Cancel"},
			"blocks": []any{map[string]any{"type": "input", "label": map[string]any{"type": "plain_text", "text": "Summary"},
				"element": map[string]any{"type": "plain_text_input", "action_id": "summary"}}},
		}
		mutate(v)
		b, _ := json.Marshal(v)
		return string(b)
	}
	plainText := func(n int) map[string]any { return map[string]any{"type": "plain_text", "text": rep(n)} }
	cases := []struct {
		name, view, code, message string
	}{
		{"valid", view(func(map[string]any) {}), "", ""},
		{"title of 24", view(func(v map[string]any) { v["title"] = plainText(24) }), "", ""},
		{"title of 25", view(func(v map[string]any) { v["title"] = plainText(25) }), "invalid_arguments",
			"[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"},
		{"no title", view(func(v map[string]any) { delete(v, "title") }), "invalid_arguments", "missing required field: title [json-pointer:/view]"},
		{"mrkdwn title", view(func(v map[string]any) { v["title"] = map[string]any{"type": "mrkdwn", "text": "t"} }),
			"invalid_arguments", "[json-pointer:/view/title/type]"},
		{"submit of 25", view(func(v map[string]any) { v["submit"] = plainText(25) }), "invalid_arguments", "[json-pointer:/view/submit/text]"},
		{"close of 25", view(func(v map[string]any) { v["close"] = plainText(25) }), "invalid_arguments", "[json-pointer:/view/close/text]"},
		{"input without submit", view(func(v map[string]any) { delete(v, "submit") }), "invalid_arguments", "missing required field: submit"},
		{"no input, no submit", view(func(v map[string]any) {
			delete(v, "submit")
			v["blocks"] = []any{map[string]any{"type": "divider"}}
		}), "", ""},
		{"private_metadata of 3000", view(func(v map[string]any) { v["private_metadata"] = rep(3000) }), "", ""},
		{"private_metadata of 3001", view(func(v map[string]any) { v["private_metadata"] = rep(3001) }), "invalid_arguments", "[json-pointer:/view/private_metadata]"},
		{"callback_id of 256", view(func(v map[string]any) { v["callback_id"] = rep(256) }), "invalid_arguments", "[json-pointer:/view/callback_id]"},
		{"external_id of 256", view(func(v map[string]any) { v["external_id"] = rep(256) }), "invalid_arguments", "[json-pointer:/view/external_id]"},
		{"no type", view(func(v map[string]any) { delete(v, "type") }), "invalid_arguments", "missing required field: type"},
		{"unknown type", view(func(v map[string]any) { v["type"] = "workflow_step" }), "invalid_arguments", "[json-pointer:/view/type]"},
		{"no blocks", view(func(v map[string]any) { delete(v, "blocks") }), "invalid_arguments", "missing required field: blocks"},
		{"home without title", `{"type":"home","blocks":[{"type":"divider"}]}`, "", ""},
		{"not an object", `[]`, "invalid_arguments", "must provide an object [json-pointer:/view]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkValidation(t, slackfake.ValidateView(json.RawMessage(tc.view)), tc.code, tc.message)
		})
	}
}

func checkValidation(t *testing.T, err error, code, message string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		return
	}
	var ve *slackfake.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a *ValidationError", err)
	}
	if got, want := ve.Code, code; got != want {
		t.Errorf("code = %q, want %q (%v)", got, want, err)
	}
	if message != "" && !containsMessage(ve.Messages, message) {
		t.Errorf("messages = %q, want one containing %q", ve.Messages, message)
	}
}

// TestValidatorAcceptsSlackGoBuilders guards against the fake refusing what slack-go's
// builders produce and Slack accepts (null optional fields, emoji flags, confirm...).
func TestValidatorAcceptsSlackGoBuilders(t *testing.T) {
	options := []*slack.OptionBlockObject{
		slack.NewOptionBlockObject("phone", plain("Phone"), nil),
		slack.NewOptionBlockObject("visit", plain("Visit"), plain("On site")),
	}
	summary := slack.NewPlainTextInputBlockElement(plain("What was discussed"), "summary")
	summary.Multiline = true
	summary.MaxLength = 3000
	confirm := slack.NewConfirmationBlockObject(plain("Sure?"), plain("This closes the deal."), plain("Yes"), plain("No"))
	button := slack.NewButtonBlockElement("done", "a1", plain("Done")).WithStyle(slack.StylePrimary)
	button.Confirm = confirm
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain("Acme Trading Co")),
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*Tier* S", false, false),
			[]*slack.TextBlockObject{slack.NewTextBlockObject(slack.MarkdownType, "*Stage*\nquoted", false, false)},
			slack.NewAccessory(button)),
		slack.NewDividerBlock(),
		slack.NewContextBlock("ctx", slack.NewImageBlockElement("https://example.com/a.png", "avatar"),
			slack.NewTextBlockObject(slack.MarkdownType, "Last contact 2 days ago", false, false)),
		slack.NewActionBlock("acts", slack.NewButtonBlockElement("snooze", "a2", plain("Snooze")),
			slack.NewOverflowBlockElement("more", slack.NewOptionBlockObject("edit", plain("Edit"), nil))),
		slack.NewInputBlock("customer", plain("Customer"), nil,
			slack.NewOptionsSelectBlockElement(slack.OptTypeExternal, plain("Search"), "customer")),
		slack.NewInputBlock("method", plain("Method"), nil,
			slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Pick one"), "method", options...)),
		slack.NewInputBlock("happened_on", plain("When"), nil, slack.NewDatePickerBlockElement("happened_on")),
		slack.NewInputBlock("summary", plain("Summary"), plain("Be specific"), summary),
		slack.NewInputBlock("mood", plain("Mood"), nil,
			slack.NewRadioButtonsBlockElement("mood", options...)).WithOptional(true),
		slack.NewInputBlock("depts", plain("Departments"), nil,
			slack.NewCheckboxGroupsBlockElement("depts", options...)).WithOptional(true),
	}
	view := slack.ModalViewRequest{Type: slack.VTModal, Title: plain("Log follow-up"), Submit: plain("Save"),
		Close: plain("Cancel"), CallbackID: "log_followup", PrivateMetadata: `{"customer":"C202405001"}`,
		Blocks: slack.Blocks{BlockSet: blocks}}
	raw, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	if err := slackfake.ValidateView(raw); err != nil {
		t.Errorf("modal: %v", err)
	}
	rawBlocks, err := json.Marshal(blocks[:5])
	if err != nil {
		t.Fatal(err)
	}
	if err := slackfake.ValidateBlocks(rawBlocks, slackfake.SurfaceMessage); err != nil {
		t.Errorf("message: %v", err)
	}
}

// TestValidatorAcceptsRealPayloads feeds the views and blocks Slack itself produced (see
// testdata/README.md) to the validator.
func TestValidatorAcceptsRealPayloads(t *testing.T) {
	cases := []struct {
		file string
		path []string // to the view or blocks inside the payload
		view bool
	}{
		{"view_submission.static_select-datepicker-multiline.json", []string{"view"}, true},
		{"block_actions.app-home.confirm.json", []string{"view"}, true},
		{"event_callback.app_home_opened.home-tab.real.json", []string{"event", "view"}, true},
		{"block_actions.message-button.json", []string{"message", "blocks"}, false},
		{"message_action.real.json", []string{"message", "blocks"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			var node json.RawMessage = b
			for _, key := range tc.path {
				var obj map[string]json.RawMessage
				if err := json.Unmarshal(node, &obj); err != nil {
					t.Fatal(err)
				}
				node = obj[key]
			}
			if tc.view {
				err = slackfake.ValidateView(node)
			} else {
				err = slackfake.ValidateBlocks(node, slackfake.SurfaceMessage)
			}
			if err != nil {
				t.Errorf("Slack's own payload refused: %v", err)
			}
		})
	}
}
