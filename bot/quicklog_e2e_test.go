package bot_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestQuickLogSavesFollowUpAndNextAction(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")

	status, res := h.command(rep, "log Acme: called Wang, wants a discount next: send the revised quote in 3 days")
	if status != http.StatusOK || res.ResponseType != "ephemeral" {
		t.Fatalf("quick log = %d %q", status, res.Raw)
	}
	if !strings.Contains(res.Text, "Saved your follow-up with *Acme Trading Co*") || !strings.Contains(res.Text, "send the revised quote") || !strings.Contains(res.Text, "Sat 21 Nov") {
		t.Errorf("answer = %q", res.Text)
	}
	if !strings.Contains(res.Text, "*Method:* Phone") {
		t.Errorf("answer does not say the method understood: %q", res.Text)
	}
	if got := h.count(`SELECT count(*) FROM follow_ups WHERE summary = 'called Wang, wants a discount' AND source = 'quick' AND method = 'phone'`); got != 1 {
		t.Errorf("follow_ups = %d, want 1", got)
	}
	if got := h.count(`SELECT count(*) FROM next_actions WHERE text = 'send the revised quote' AND due_at = '2026-11-21 09:00+08'`); got != 1 {
		t.Errorf("next action missing or not due 3 days later at 09:00 Shanghai")
	}
}

func TestQuickLogInChinese(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(repZH, "百川商贸", "13800005678")
	_, res := h.command(repZH, "log 百川：电话沟通，对价格有疑虑 下一步：3天内发送定制方案")
	if !strings.Contains(res.Text, "已保存对 *百川商贸*") || !strings.Contains(res.Text, "发送定制方案") || !strings.Contains(res.Text, "*方式：* 电话") || !strings.Contains(res.Text, "*态度：* 犹豫") {
		t.Errorf("answer = %q", res.Text)
	}
	if got := h.count(`SELECT count(*) FROM next_actions WHERE text = '发送定制方案' AND due_at = '2026-11-21 09:00+08'`); got != 1 {
		t.Errorf("next action missing or misdated")
	}
}

func TestQuickLogWithoutDateUsesTierCadence(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678") // tier A: every 3 days
	_, res := h.command(rep, "log acme trading co: sent the brochure next: ask for feedback")
	if !strings.Contains(res.Text, "set from the tier A cadence") {
		t.Errorf("answer = %q, want the cadence fallback said", res.Text)
	}
	if got := h.count(`SELECT count(*) FROM next_actions WHERE due_at = '2026-11-21 09:00+08'`); got != 1 {
		t.Errorf("next action not due after the tier A cadence")
	}
}

func TestQuickLogAmbiguousCustomerAsksThenSaves(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep, "Acme Logistics", "13900001111")

	_, res := h.command(rep, "log acme: discussed renewal next: call back tomorrow")
	if !strings.Contains(res.Text, "Several customers match") || h.count(`SELECT count(*) FROM follow_ups`) != 0 {
		t.Fatalf("answer = %q, want a choice and nothing saved yet", res.Text)
	}
	var blocks []map[string]any
	for _, raw := range res.Blocks {
		var b map[string]any
		json.Unmarshal(raw, &b)
		blocks = append(blocks, b)
	}
	var value string
	for _, el := range blocks[1]["elements"].([]any) {
		btn := el.(map[string]any)
		if strings.Contains(btn["text"].(map[string]any)["text"].(string), "Logistics") {
			value = btn["value"].(string)
		}
	}
	responseURL := h.slack.ResponseURL()
	h.press(rep, "quicklog_pick_customer", value, responseURL)
	if got := h.count(`SELECT count(*) FROM follow_ups f JOIN customers c ON c.id = f.customer_id WHERE c.name = 'Acme Logistics'`); got != 1 {
		t.Fatalf("follow-up for the chosen customer = %d, want 1", got)
	}
	out := h.slack.Responses(responseURL)
	if len(out) != 1 || !out[0].ReplaceOriginal || !strings.Contains(out[0].Text, "Acme Logistics") {
		t.Errorf("choice answer = %+v", out)
	}
	// Pressing again (a double click) does not log twice.
	h.press(rep, "quicklog_pick_customer", value, responseURL)
	if got := h.count(`SELECT count(*) FROM follow_ups`); got != 1 {
		t.Errorf("follow_ups = %d after a second press, want 1", got)
	}
}

func TestQuickLogUnknownCustomerOffersToCreateIt(t *testing.T) {
	h := newHarness(t)
	_, res := h.command(rep, "log Globex: first call, interested next: send deck by Friday")
	if !strings.Contains(res.Text, "couldn't find a customer matching “Globex”") || !strings.Contains(res.Raw, "quicklog_new_customer") {
		t.Fatalf("answer = %q", res.Raw)
	}
	h.press(rep, "quicklog_new_customer", accessoryValue(t, res, 0), "")
	if v, ok := h.slack.LastView("new_customer"); !ok || !strings.Contains(string(v.Blocks), `"initial_value":"Globex"`) {
		t.Fatalf("new customer modal = %+v, want the name prefilled", v)
	}
	h.submit(rep, "new_customer", map[string]any{
		"name": text("Globex"), "industry": text("Energy"), "tier": pick("S"), "source": pick("referral"),
		"contact_name": text("Hank"), "contact_phone": text("+1 555 0100 200"),
	})
	if got := h.count(`SELECT count(*) FROM follow_ups f JOIN customers c ON c.id = f.customer_id WHERE c.name = 'Globex' AND f.summary = 'first call, interested'`); got != 1 {
		t.Errorf("the waiting quick log was not saved for the new customer")
	}
}

func TestQuickLogBadInput(t *testing.T) {
	h := newHarness(t)
	for _, text := range []string{"log", "log no colon here", "log : nothing", "log Acme:   "} {
		status, res := h.command(rep, text)
		if status != http.StatusOK || !strings.Contains(res.Text, "/followup log") {
			t.Errorf("%q → %d %q, want the usage", text, status, res.Text)
		}
	}
	if _, res := h.command(rep, "frobnicate"); !strings.Contains(res.Text, "I don't know `frobnicate`") {
		t.Errorf("unknown verb answer = %q", res.Text)
	}
}

func TestQuickLogEditAndUndo(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	_, res := h.command(rep, "log acme: visited the plant next: send the deck in 2 days")
	var id string
	if err := h.db.SQLX().Get(&id, `SELECT id::text FROM follow_ups`); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Raw, `"action_id":"followup_edit"`) || !strings.Contains(res.Raw, `"action_id":"followup_undo"`) {
		t.Fatalf("confirmation lacks Edit and Undo: %s", res.Raw)
	}
	h.press(rep, "followup_edit", id, "")
	v, ok := h.slack.LastView("log_followup")
	if !ok || !strings.Contains(string(v.Blocks), "visited the plant") || !strings.Contains(string(v.Blocks), "send the deck") || !strings.Contains(string(v.Blocks), `"initial_date":"2026-11-20"`) {
		t.Fatalf("edit form not prefilled: %s", v.Blocks)
	}
	status, answer := h.submit(rep, "log_followup", map[string]any{
		"customer": external(h.customerID("Acme Trading Co")), "method": pick("visit"), "happened_on": date("2026-11-18"),
		"summary": text("visited the plant with the CTO"), "next_action": text("send the deck"), "next_due": date("2026-11-20"),
	})
	if status != http.StatusOK || answer != nil {
		t.Fatalf("edit submission = %d %v", status, answer)
	}
	if got := h.count(`SELECT count(*) FROM follow_ups WHERE summary = 'visited the plant with the CTO'`); got != 1 || h.count(`SELECT count(*) FROM follow_ups`) != 1 {
		t.Fatalf("after edit: %d follow-ups, want the edited one only", h.count(`SELECT count(*) FROM follow_ups`))
	}
	if got := h.count(`SELECT count(*) FROM next_actions`); got != 1 {
		t.Errorf("next actions after edit = %d, want 1", got)
	}
	var edited string
	h.db.SQLX().Get(&edited, `SELECT id::text FROM follow_ups`)
	h.press(rep2, "followup_undo", edited, "")
	if got := h.count(`SELECT count(*) FROM follow_ups`); got != 1 {
		t.Fatalf("another rep undid the follow-up")
	}
	url := h.slack.ResponseURL()
	h.press(rep, "followup_undo", edited, url)
	if got := h.count(`SELECT count(*) FROM follow_ups`) + h.count(`SELECT count(*) FROM next_actions`); got != 0 {
		t.Errorf("after undo: %d rows left, want none", got)
	}
	if out := h.slack.Responses(url); len(out) != 1 || !strings.Contains(out[0].Text, "Undone") || !out[0].ReplaceOriginal {
		t.Errorf("undo answer = %+v", out)
	}
}

func TestLanguageOverride(t *testing.T) {
	h := newHarness(t)
	if _, res := h.command(rep, "lang zh"); !strings.Contains(res.Text, "中文") {
		t.Fatalf("lang zh answered %q", res.Text)
	}
	if _, res := h.command(rep, "help"); !strings.Contains(res.Text, "帮你跟紧每一位客户") {
		t.Errorf("help after lang zh = %q", res.Text)
	}
	if _, res := h.command(repZH, "help"); !strings.Contains(res.Text, "帮你跟紧") {
		t.Errorf("a zh-CN Slack user reads %q", res.Text)
	}
	h.command(rep, "lang en")
	if _, res := h.command(rep, "help"); !strings.Contains(res.Text, "keeps your customer follow-ups") {
		t.Errorf("help after lang en = %q", res.Text)
	}
	if _, res := h.command(rep, "lang klingon"); !strings.Contains(res.Text, "/followup lang en") {
		t.Errorf("a bad language answered %q", res.Text)
	}
}
