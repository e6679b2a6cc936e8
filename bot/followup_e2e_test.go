package bot_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/followuphq/followup/bot/slackfake"
)

// customerID returns the id of the customer with the exact name.
func (h *harness) customerID(name string) string {
	h.t.Helper()
	var id int64
	if err := h.db.SQLX().Get(&id, `SELECT id FROM customers WHERE name = $1`, name); err != nil {
		h.t.Fatalf("customer %q: %v", name, err)
	}
	return strconv.FormatInt(id, 10)
}

// typeahead asks /slack/options for customers matching query, as the external_select does.
func (h *harness) typeahead(user, query string) []string {
	h.t.Helper()
	status, body := h.interact("/slack/options", map[string]any{
		"type": "block_suggestion", "user": map[string]any{"id": user}, "team": map[string]any{"id": slackfake.TeamID},
		"action_id": "customer", "block_id": "customer", "value": query, "api_app_id": slackfake.AppID,
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": "log_followup"},
	})
	if status != http.StatusOK {
		h.t.Fatalf("options = %d %s", status, body)
	}
	var res struct {
		Options []struct {
			Value string `json:"value"`
			Text  struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"options"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		h.t.Fatalf("options answer %s: %v", body, err)
	}
	var values []string
	for _, o := range res.Options {
		values = append(values, o.Value+"="+o.Text.Text)
	}
	return values
}

func TestLogModalTypeaheadSubmitShowAndDue(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep, "Baichuan Commerce", "13900001111")
	id := h.customerID("Acme Trading Co")

	if status, res := h.command(rep, ""); status != http.StatusOK || res.Text != "" {
		t.Fatalf("/followup = %d %q, want the modal opened and an empty ack", status, res.Raw)
	}
	if v, ok := h.slack.LastView("log_followup"); !ok || !strings.Contains(string(v.Blocks), `"initial_date":"2026-11-18"`) {
		t.Fatalf("log modal missing or not defaulting to the rep's today: %+v", v)
	}
	got := h.typeahead(rep, "acme")
	if len(got) != 1 || !strings.HasPrefix(got[0], id+"=Acme Trading Co (C2026") {
		t.Fatalf("typeahead(acme) = %v, want Acme only", got)
	}

	status, res := h.submit(rep, "log_followup", map[string]any{
		"customer": external(id), "method": pick("visit"), "happened_on": date("2026-11-18"),
		"summary":  text("Confirmed interest in plan A; asked for plan B's details"),
		"feedback": text("Price is a concern"), "mood": pick("hesitant"),
		"next_action": text("Send plan B details <!channel>"), "next_due": date("2026-11-20"), "stage": pick("intent"),
	})
	if status != http.StatusOK || res != nil {
		t.Fatalf("log submission = %d %v, want the modal closed", status, res)
	}
	if got := h.count(`SELECT count(*) FROM follow_ups WHERE customer_id = $1 AND method = 'visit' AND mood = 'hesitant'`, id); got != 1 {
		t.Fatalf("follow_ups = %d, want 1", got)
	}
	if got := h.count(`SELECT count(*) FROM next_actions WHERE customer_id = $1 AND due_at = '2026-11-20 09:00+08' AND status = 'open'`, id); got != 1 {
		t.Errorf("next action not due at 09:00 Shanghai on the picked day")
	}
	if got := h.count(`SELECT count(*) FROM stage_changes WHERE customer_id = $1 AND from_stage = 'lead' AND to_stage = 'intent'`, id); got != 1 {
		t.Errorf("stage change not recorded")
	}
	confirm := h.slack.AllResponses()
	if last := confirm[len(confirm)-1]; !strings.Contains(last.Text, "Saved your follow-up with *Acme Trading Co*") || !strings.Contains(last.Text, "Fri 20 Nov") {
		t.Errorf("confirmation = %q", last.Text)
	}

	_, card := h.command(rep, "show acme")
	for _, want := range []string{"Acme Trading Co", "Confirmed interest in plan A", "Send plan B details &lt;!channel&gt;", "Visit"} {
		if !strings.Contains(card.Raw, want) {
			t.Errorf("show card lacks %q: %s", want, card.Raw)
		}
	}
	if strings.Contains(card.Raw, "<!channel>") {
		t.Errorf("show card contains an unescaped mention: %s", card.Raw)
	}
	_, due := h.command(rep, "due")
	if !strings.Contains(due.Raw, "Send plan B details") || !strings.Contains(due.Raw, "Upcoming") {
		t.Errorf("due lacks the action: %s", due.Raw)
	}
	if _, due := h.command(rep2, "due"); !strings.Contains(due.Text, "Nothing is waiting") {
		t.Errorf("another rep's due = %q, want nothing", due.Text)
	}
}

func TestLogModalFieldErrors(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	id := h.customerID("Acme Trading Co")
	h.command(rep, "")
	cases := map[string]struct {
		values map[string]any
		field  string
	}{
		"unknown customer":    {map[string]any{"customer": external("999999"), "method": pick("phone"), "summary": text("Discussed the quote")}, "customer"},
		"no customer":         {map[string]any{"method": pick("phone"), "summary": text("Discussed the quote")}, "customer"},
		"empty summary":       {map[string]any{"customer": external(id), "method": pick("phone"), "summary": text("   ")}, "summary"},
		"vague summary":       {map[string]any{"customer": external(id), "method": pick("phone"), "summary": text("went well")}, "summary"},
		"future date":         {map[string]any{"customer": external(id), "method": pick("phone"), "happened_on": date("2026-12-01"), "summary": text("Discussed the quote")}, "happened_on"},
		"due before the date": {map[string]any{"customer": external(id), "method": pick("phone"), "happened_on": date("2026-11-17"), "summary": text("Discussed the quote"), "next_action": text("Call back"), "next_due": date("2026-11-16")}, "next_due"},
		"due without a step":  {map[string]any{"customer": external(id), "method": pick("phone"), "summary": text("Discussed the quote"), "next_due": date("2026-11-30")}, "next_action"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, res := h.submit(rep, "log_followup", c.values)
			errs, _ := res["errors"].(map[string]any)
			if res["response_action"] != "errors" || errs[c.field] == nil {
				t.Fatalf("answer = %v, want an error on %s", res, c.field)
			}
		})
	}
	if got := h.count(`SELECT count(*) FROM follow_ups`); got != 0 {
		t.Errorf("follow_ups = %d after rejected forms, want 0", got)
	}
}

func TestFollowUpWithoutNextStepGetsAPrompt(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.command(rep, "")
	h.submit(rep, "log_followup", map[string]any{
		"customer": external(h.customerID("Acme Trading Co")), "method": pick("phone"), "summary": text("Discussed delivery dates"),
	})
	all := h.slack.AllResponses()
	last := all[len(all)-1]
	if !strings.Contains(last.Text, "No next step is planned") || !strings.Contains(string(last.Blocks), `"action_id":"add_next_action"`) {
		t.Fatalf("confirmation = %q %s, want a prompt with an Add next step button", last.Text, last.Blocks)
	}
}

func TestMessageShortcutOpensLogModalWithTheText(t *testing.T) {
	h := newHarness(t)
	raw := readSample(t, "message_action.real.json")
	var payload map[string]any
	if err := json.Unmarshal(raw, &payload); err != nil {
		t.Fatal(err)
	}
	trigger := h.slack.NewTriggerID()
	payload["callback_id"], payload["trigger_id"] = "log_message", trigger
	payload["user"].(map[string]any)["id"] = rep
	payload["message"].(map[string]any)["text"] = "Customer asked for a demo next week"
	if status, _ := h.interact("/slack/interactions", payload); status != http.StatusOK {
		t.Fatalf("message_action = %d", status)
	}
	v, ok := h.slack.LastView("log_followup")
	if !ok || !strings.Contains(string(v.Blocks), "Customer asked for a demo next week") {
		t.Fatalf("log modal = %+v, want the message text as the summary", v)
	}
}

func TestAddNextStepFromThePrompt(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	_, res := h.command(rep, "log acme: confirmed the delivery date")
	if !strings.Contains(res.Raw, "add_next_action") {
		t.Fatalf("no prompt to add a next step: %s", res.Raw)
	}
	h.press(rep, "add_next_action", accessoryValue(t, res, 1), "")
	status, answer := h.submit(rep, "add_next_action", map[string]any{"next_action": text("Send the contract"), "next_due": date("2026-11-25")})
	if status != http.StatusOK || answer != nil {
		t.Fatalf("add next step = %d %v", status, answer)
	}
	if got := h.count(`SELECT count(*) FROM next_actions a JOIN follow_ups f ON f.id = a.follow_up_id
		WHERE a.text = 'Send the contract' AND a.due_at = '2026-11-25 09:00+08' AND f.summary = 'confirmed the delivery date'`); got != 1 {
		t.Errorf("next step not saved against its follow-up")
	}
	_, past := h.command(rep, "log acme: one more call")
	h.press(rep, "add_next_action", accessoryValue(t, past, 1), "")
	if _, answer := h.submit(rep, "add_next_action", map[string]any{"next_action": text("Too late"), "next_due": date("2026-11-01")}); answer["response_action"] != "errors" {
		t.Errorf("a next step due in the past = %v, want a field error", answer)
	}
}
