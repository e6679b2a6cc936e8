package bot_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/scheduler"
)

// setTeam has the admin set up team East, led by manager, through the Team setup form.
func (h *harness) setTeam(manager string, reps ...string) {
	h.t.Helper()
	h.command(admin, "team")
	status, res := h.submit(admin, "team_setup", map[string]any{"team_name": text("East"), "manager": user(manager), "members": users(reps...)})
	if status != http.StatusOK || res != nil {
		h.t.Fatalf("team setup = %d %v", status, res)
	}
}

// jobs runs the scheduler's reminder and cadence jobs once, as cron would, at the clock's
// time, and waits for what they sent.
func (h *harness) jobs() {
	h.t.Helper()
	s := scheduler.New(scheduler.Config{}, h.db, h.bot, scheduler.WithClock(h.clock.Now))
	for _, job := range []func(context.Context) error{s.SendDueReminders, s.CheckCadences} {
		if err := job(context.Background()); err != nil {
			h.t.Fatal(err)
		}
	}
	h.bot.Wait()
}

// mentions counts user's DMs whose text or blocks contain s.
func (h *harness) mentions(user, s string) int {
	n := 0
	for _, m := range h.slack.Messages(user) {
		if strings.Contains(seen(m), s) {
			n++
		}
	}
	return n
}

// lastDM returns the latest message in user's DM that contains s.
func (h *harness) lastDM(user, s string) slackfake.Message {
	h.t.Helper()
	msgs := h.slack.Messages(user)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.Contains(seen(msgs[i]), s) {
			return msgs[i]
		}
	}
	h.t.Fatalf("no DM to %s contains %q", user, s)
	return slackfake.Message{}
}

// seen is what a person reads of a message: its text and its blocks as Slack decodes them.
func seen(m slackfake.Message) string { return m.Text + "\n" + unescapeJSON(m.Blocks) }

func radio(v string) map[string]any {
	return map[string]any{"type": "radio_buttons", "selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}
}

func timeOf(s string) map[string]any { return map[string]any{"type": "timepicker", "selected_time": s} }

// complaintButton is the press of one of a complaint message's buttons.
func complaintButton(actionID, id string) map[string]any {
	return map[string]any{"action_id": actionID, "block_id": "act:k" + id, "type": "button", "value": id}
}

// reminderStatuses lists the statuses of a complaint's reminders, by kind.
func (h *harness) reminderStatuses(complaintID string) map[string]string {
	h.t.Helper()
	rows, err := h.db.SQLX().Query(`SELECT kind, status FROM reminders WHERE complaint_id = $1`, complaintID)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var kind, status string
		if err := rows.Scan(&kind, &status); err != nil {
			h.t.Fatal(err)
		}
		out[kind] = status
	}
	return out
}

func TestComplaintLifecycleEndToEnd(t *testing.T) {
	h := newHarness(t)
	h.setTeam(boss, rep, rep2)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	customer := h.customerID("Acme Trading Co")

	// The admin files a complaint for Wang Wei's customer; Li Na, in New York, handles it.
	if status, res := h.command(admin, "complaint acme"); status != http.StatusOK || res.Text != "" {
		t.Fatalf("/followup complaint acme = %d %q, want the form opened", status, res.Raw)
	}
	form, _ := h.slack.LastView("new_complaint")
	for _, want := range []string{`"initial_option":{"text":{"emoji":false,"text":"Acme Trading Co (C`, `"initial_user":"` + rep + `"`, `"initial_date":"2026-11-18"`, "2 working days"} {
		if !strings.Contains(string(form.Blocks), want) {
			t.Errorf("complaint form lacks %s: %s", want, form.Blocks)
		}
	}
	status, res := h.submit(admin, "new_complaint", map[string]any{
		"customer": external(customer), "content": text("Two pallets arrived broken <!channel>"),
		"received_at": date("2026-11-18"), "handler": user(rep2),
	})
	if status != http.StatusOK || res != nil {
		t.Fatalf("complaint submission = %d %v, want the form closed", status, res)
	}
	// Received Wednesday 10:00 in Shanghai is Tuesday 21:00 in New York: Li Na's two
	// working days are Wednesday and Thursday from 09:00, so it is due Friday 09:00 there.
	var id string
	var due time.Time
	if err := h.db.SQLX().QueryRow(`SELECT id::text, due_at FROM complaints WHERE customer_id = $1 AND handler_id = $2 AND status = 'open'`, customer, rep2).Scan(&id, &due); err != nil {
		t.Fatalf("complaint not committed: %v", err)
	}
	newYork, _ := time.LoadLocation("America/New_York")
	if want := time.Date(2026, 11, 20, 9, 0, 0, 0, newYork); !due.Equal(want) {
		t.Errorf("due %s, want %s (two of the handler's working days)", due, want)
	}
	confirm := h.slack.AllResponses()
	if last := confirm[len(confirm)-1]; !strings.Contains(last.Text, "Saved the complaint from *Acme Trading Co*") || !strings.Contains(last.Text, "<@"+rep2+">") {
		t.Errorf("confirmation = %q", last.Text)
	}
	filed := h.lastDM(rep2, "Two pallets arrived broken")
	for _, want := range []string{"for you to handle", "&lt;!channel&gt;", "Fri 20 Nov 09:00", `"action_id":"complaint_start"`, `"action_id":"complaint_resolve"`} {
		if !strings.Contains(seen(filed), want) {
			t.Errorf("handler's DM lacks %s: %s", want, filed.Blocks)
		}
	}
	if strings.Contains(seen(filed), "<!channel>") {
		t.Errorf("the handler's DM carries an unescaped mention: %s", filed.Blocks)
	}

	// Start handling: in progress, and only Resolve is left on the message.
	h.pressOnMessage(rep2, filed, complaintButton("complaint_start", id))
	if got := h.count(`SELECT count(*) FROM complaints WHERE id = $1 AND status = 'in_progress' AND started_at IS NOT NULL`, id); got != 1 {
		t.Fatalf("not in progress after Start handling")
	}
	if m := h.lastDM(rep2, "started on the complaint"); strings.Contains(seen(m), "complaint_start") || !strings.Contains(seen(m), "complaint_resolve") {
		t.Errorf("after Start the message = %s, want Resolve only", m.Blocks)
	}
	_, card := h.command(rep, "show acme")
	if !strings.Contains(card.Raw, "Complaints") || !strings.Contains(card.Raw, "Two pallets arrived broken &lt;!channel&gt;") || !strings.Contains(card.Raw, "in progress") {
		t.Errorf("customer card lacks the complaint: %s", card.Raw)
	}

	// The deadline: Li Na is reminded once.
	h.clock.Set(due.Add(-time.Minute))
	h.jobs()
	if got := h.mentions(rep2, "reached its deadline"); got != 0 {
		t.Fatalf("reminded before the deadline")
	}
	h.clock.Set(due)
	h.jobs()
	h.jobs()
	if got := h.mentions(rep2, "reached its deadline"); got != 1 {
		t.Fatalf("deadline reminders = %d, want 1", got)
	}

	// Two more of Li Na's working days (Monday, Tuesday) and it goes to the owner's
	// manager: Tuesday 09:00 in New York is 22:00 in Shanghai, so he reads it on Wednesday
	// morning, once.
	escalatesAt := time.Date(2026, 11, 24, 9, 0, 0, 0, newYork)
	h.clock.Set(escalatesAt.Add(-time.Minute))
	h.jobs()
	if got := h.reminderStatuses(id)["escalation_complaint"]; got != "" {
		t.Fatalf("escalated before two working days past the deadline (%s)", got)
	}
	h.clock.Set(escalatesAt)
	h.jobs()
	if got, status := h.mentions(boss, "has not resolved"), h.reminderStatuses(id)["escalation_complaint"]; got != 0 || status != "pending" {
		t.Fatalf("at 22:00 in Shanghai: %d escalations sent, status %q; want it held for the morning", got, status)
	}
	h.clock.Set(time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)) // Wednesday 09:00 in Shanghai
	h.jobs()
	h.jobs()
	if got := h.mentions(boss, "has not resolved the complaint from *Acme Trading Co*"); got != 1 {
		t.Fatalf("escalations to the manager = %d, want 1", got)
	}
	if esc := h.lastDM(boss, "has not resolved"); !strings.Contains(seen(esc), "<@"+rep2+">") || !strings.Contains(seen(esc), "escalation_reassign") {
		t.Errorf("escalation = %s", esc.Blocks)
	}

	// Li Na resolves it from the reminder: the message says so, Wang Wei hears of it.
	reminder := h.lastDM(rep2, "reached its deadline")
	h.pressOnMessage(rep2, reminder, complaintButton("complaint_resolve", id))
	if _, ok := h.slack.LastView("resolve_complaint"); !ok {
		t.Fatal("Resolve did not open the form")
	}
	if _, res := h.submit(rep2, "resolve_complaint", map[string]any{"resolution": text("   ")}); res["response_action"] != "errors" {
		t.Fatalf("an empty resolution = %v, want field errors", res)
	}
	status, res = h.submit(rep2, "resolve_complaint", map[string]any{"resolution": text("Replaced both pallets <!here>"), "satisfied": radio("yes")})
	if status != http.StatusOK || res != nil {
		t.Fatalf("resolve submission = %d %v", status, res)
	}
	if got := h.count(`SELECT count(*) FROM complaints WHERE id = $1 AND status = 'resolved' AND satisfied AND resolved_at = $2
		AND resolution = 'Replaced both pallets <!here>' AND resolved_by = $3`, id, h.clock.Now(), rep2); got != 1 {
		t.Fatalf("complaint not resolved as submitted")
	}
	if m := h.lastDM(rep2, "reached its deadline"); !strings.Contains(unescapeJSON(m.Blocks), "resolved the complaint") || strings.Contains(seen(m), "complaint_resolve") || m.Edits == 0 {
		t.Errorf("the reminder after resolving = %d edits, %s", m.Edits, m.Blocks)
	}
	told := h.lastDM(rep, "resolved the complaint")
	if !strings.Contains(told.Text, "Replaced both pallets &lt;!here&gt;") || !strings.Contains(told.Text, "The customer is satisfied") {
		t.Errorf("owner told %q", told.Text)
	}
	if got := h.reminderStatuses(id); got["complaint"] != "sent" || got["escalation_complaint"] != "sent" {
		t.Errorf("the resolved complaint's reminders = %v, want both sent and nothing left waiting", got)
	}

	// A second complaint, due by Friday's close: its reminder waits for Monday morning,
	// and resolving it on Friday evening cancels it.
	h.clock.Set(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)) // Friday 10:00 in Shanghai
	h.command(rep, "complaint Acme")
	if _, res := h.submit(rep, "new_complaint", map[string]any{
		"customer": external(customer), "content": text("Invoice shows the wrong VAT rate"),
		"received_at": date("2026-11-27"), "received_time": timeOf("08:30"), "due_on": date("2026-11-27"),
	}); res != nil {
		t.Fatalf("second complaint = %v", res)
	}
	var second string
	if err := h.db.SQLX().Get(&second, `SELECT id::text FROM complaints WHERE content LIKE 'Invoice%' AND handler_id = $1
		AND received_at = '2026-11-27 08:30+08' AND due_at = '2026-11-27 18:00+08'`, rep); err != nil {
		t.Fatalf("second complaint not saved with the owner as handler, received 08:30, due at Friday's close: %v", err)
	}
	h.clock.Set(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)) // 18:00 in Shanghai
	h.jobs()
	if got := h.reminderStatuses(second)["complaint"]; got != "pending" {
		t.Fatalf("second complaint's reminder = %q, want pending until Monday", got)
	}
	h.pressOnMessage(rep, h.lastDM(rep, "Invoice shows the wrong VAT rate"), complaintButton("complaint_resolve", second))
	if _, res := h.submit(rep, "resolve_complaint", map[string]any{"resolution": text("Reissued the invoice"), "satisfied": radio("no")}); res != nil {
		t.Fatalf("resolving the second complaint = %v", res)
	}
	if got := h.reminderStatuses(second)["complaint"]; got != "cancelled" {
		t.Errorf("second complaint's pending reminder = %q, want cancelled", got)
	}
	h.clock.Set(time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)) // Monday 09:00 in Shanghai
	h.jobs()
	h.jobs()
	if got := h.mentions(rep, "has reached its deadline"); got != 0 {
		t.Errorf("the resolved complaint was reminded %d times", got)
	}
	if got := h.mentions(rep2, "reached its deadline") + h.mentions(boss, "has not resolved"); got != 2 {
		t.Errorf("messages about the first complaint after it was resolved = %d, want still the 2 before", got)
	}

	// The manager's digest of the last 7 days counts both resolved, one with the customer
	// satisfied, and the second received (the first came before the week).
	_, digest := h.command(boss, "digest")
	for _, want := range []string{"Open complaints (0)", "1 received · 2 resolved (1 with the customer satisfied) · 0 open past their deadline"} {
		if !strings.Contains(digest.Raw, want) {
			t.Errorf("digest lacks %q: %s", want, digest.Raw)
		}
	}
}

func TestComplaintOnTheHandlersHomeTab(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.command(rep, "complaint")
	if _, res := h.submit(rep, "new_complaint", map[string]any{
		"customer": external(h.customerID("Acme Trading Co")), "content": text("Phone support never called back <!everyone>"),
	}); res != nil {
		t.Fatalf("complaint = %v", res)
	}
	home, ok := h.slack.HomeView(rep)
	if !ok {
		t.Fatal("the handler's Home tab was not refreshed")
	}
	if err := slackfake.ValidateView(home.JSON); err != nil {
		t.Fatalf("Home tab breaks Block Kit limits: %v", err)
	}
	for _, want := range []string{"Complaints you handle", "Phone support never called back &lt;!everyone&gt;", "Fri 20 Nov 10:00", "resolve|k"} {
		if !strings.Contains(unescapeJSON(home.Blocks), want) {
			t.Errorf("Home tab lacks %q: %s", want, home.Blocks)
		}
	}
	// Resolving from the Home tab's menu opens the form and republishes the tab without it.
	var id int64
	if err := h.db.SQLX().Get(&id, `SELECT id FROM complaints`); err != nil {
		t.Fatal(err)
	}
	h.interact("/slack/interactions", map[string]any{
		"type": "block_actions", "user": map[string]any{"id": rep}, "team": map[string]any{"id": slackfake.TeamID},
		"trigger_id": h.slack.NewTriggerID(), "api_app_id": slackfake.AppID,
		"container": map[string]any{"type": "view", "view_id": home.ID}, "view": map[string]any{"id": home.ID, "type": "home"},
		"actions": []any{map[string]any{"action_id": "reminder_menu", "block_id": "rem:k" + strconv.FormatInt(id, 10), "type": "overflow",
			"selected_option": map[string]any{"value": "resolve|k" + strconv.FormatInt(id, 10)}}},
	})
	if _, res := h.submit(rep, "resolve_complaint", map[string]any{"resolution": text("Called and apologised"), "satisfied": radio("yes")}); res != nil {
		t.Fatalf("resolve from Home = %v", res)
	}
	home, _ = h.slack.HomeView(rep)
	if strings.Contains(string(home.Blocks), "Phone support never called back") {
		t.Errorf("the resolved complaint is still on the Home tab")
	}
	if got := h.mentions(rep, "resolved the complaint"); got != 1 {
		t.Errorf("confirmations in the DM after resolving from Home = %d, want 1", got)
	}
}

func TestComplaintFormFieldErrors(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	id := h.customerID("Acme Trading Co")
	h.command(rep, "complaint")
	cases := map[string]struct {
		values map[string]any
		field  string
	}{
		"no customer":             {map[string]any{"content": text("Late delivery")}, "customer"},
		"unknown customer":        {map[string]any{"customer": external("999999"), "content": text("Late delivery")}, "customer"},
		"empty content":           {map[string]any{"customer": external(id), "content": text("  ")}, "content"},
		"received tomorrow":       {map[string]any{"customer": external(id), "content": text("Late delivery"), "received_at": date("2026-11-19")}, "received_at"},
		"received later today":    {map[string]any{"customer": external(id), "content": text("Late delivery"), "received_time": timeOf("23:00")}, "received_at"},
		"deadline in the past":    {map[string]any{"customer": external(id), "content": text("Late delivery"), "due_on": date("2026-11-17")}, "due_on"},
		"usual deadline has gone": {map[string]any{"customer": external(id), "content": text("Late delivery"), "received_at": date("2026-11-02")}, "due_on"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, res := h.submit(rep, "new_complaint", c.values)
			errs, _ := res["errors"].(map[string]any)
			if res["response_action"] != "errors" || errs[c.field] == nil {
				t.Fatalf("answer = %v, want an error on %s", res, c.field)
			}
			if raw := mustJSON(t, res); strings.Contains(raw, "goroutine") || strings.Contains(raw, "pq:") {
				t.Errorf("the error shows internals: %s", raw)
			}
		})
	}
	if got := h.count(`SELECT count(*) FROM complaints`); got != 0 {
		t.Errorf("complaints = %d after rejected forms, want 0", got)
	}

	// A deadline missed in Chinese reads in Chinese (on a customer of the Chinese rep's own:
	// the rep's are not theirs to file complaints about).
	h.newCustomer(repZH, "华南精密制造", "13600003333")
	h.command(repZH, "complaint")
	_, res := h.submit(repZH, "new_complaint", map[string]any{"customer": external(h.customerID("华南精密制造")), "content": text("发货太慢"), "due_on": date("2026-11-01")})
	if errs, _ := res["errors"].(map[string]any); errs["due_on"] != "解决期限不能早于现在。" {
		t.Errorf("Chinese deadline error = %v", res)
	}

	// With the database gone the form stays open and says it was not saved.
	h.command(rep, "complaint")
	h.pg.Cut()
	defer h.pg.Restore()
	status, res := h.submit(rep, "new_complaint", map[string]any{"customer": external(id), "content": text("Late delivery")})
	if raw := mustJSON(t, res); status != http.StatusOK || res["response_action"] != "errors" || !strings.Contains(raw, "Not saved") {
		t.Errorf("with Postgres down = %d %s, want the form kept open with Not saved", status, raw)
	}
}

// TestComplaintEscalationButtonsReassign: the manager reassigns a late complaint from the
// escalation; the new handler gets it with its buttons and the deadline reminder's
// recipient moves.
func TestComplaintEscalationButtonsReassign(t *testing.T) {
	h := newHarness(t)
	h.setTeam(boss, rep, rep2)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.command(rep, "complaint acme")
	h.submit(rep, "new_complaint", map[string]any{"customer": external(h.customerID("Acme Trading Co")), "content": text("Wrong colour")})
	var id string
	if err := h.db.SQLX().Get(&id, `SELECT id::text FROM complaints`); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)) // due Friday 10:00; two working days later is Tuesday 10:00
	h.jobs()
	esc := h.lastDM(boss, "has not resolved")
	h.pressOnMessage(boss, esc, map[string]any{"action_id": "escalation_reassign", "block_id": "act:k" + id, "type": "users_select", "selected_user": rep2})
	if got := h.count(`SELECT count(*) FROM complaints WHERE id = $1 AND handler_id = $2`, id, rep2); got != 1 {
		t.Fatalf("not reassigned")
	}
	if m := h.lastDM(rep2, "gave you the complaint"); !strings.Contains(seen(m), "complaint_resolve") {
		t.Errorf("new handler's DM = %s", m.Blocks)
	}
	if m := h.lastDM(boss, "Reassigned to"); m.Edits == 0 {
		t.Errorf("the escalation was not updated in place")
	}
	// A rep who neither handles it nor owns the customer may not resolve it.
	h.newCustomer(repZH, "百川商贸", "13900001111")
	h.pressOnMessage(repZH, h.lastDM(rep2, "gave you the complaint"), complaintButton("complaint_resolve", id))
	if all := h.slack.AllResponses(); !strings.Contains(all[len(all)-1].Text, "不在你的权限范围内") {
		t.Errorf("a stranger's Resolve = %q, want a refusal in Chinese", all[len(all)-1].Text)
	}
}
