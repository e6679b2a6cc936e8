package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/scheduler"
)

// remind logs a follow-up for the customer with a next step due now and has the scheduler
// DM it; it returns the action's id and the reminder message.
func (h *harness) remind(customer, step string) (string, slackfake.Message) {
	h.t.Helper()
	h.command(rep, "log "+customer+": discussed the quote next: "+step+" today")
	var id string
	if err := h.db.SQLX().Get(&id, `SELECT id::text FROM next_actions WHERE text = $1`, step); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.db.SQLX().Exec(`UPDATE next_actions SET due_at = $1 WHERE id = $2`, h.clock.Now(), id); err != nil {
		h.t.Fatal(err)
	}
	s := scheduler.New(scheduler.Config{}, h.db, h.bot, scheduler.WithClock(h.clock.Now))
	if err := s.SendDueReminders(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	msgs := h.slack.Messages(rep)
	if len(msgs) == 0 {
		h.t.Fatal("no reminder was sent")
	}
	return id, msgs[len(msgs)-1]
}

// pressOnMessage presses a control on a message the bot posted, as Slack reports it:
// with the message, its channel and its ts.
func (h *harness) pressOnMessage(user string, m slackfake.Message, action map[string]any) {
	h.t.Helper()
	var blocks []any
	json.Unmarshal(m.Blocks, &blocks)
	h.interact("/slack/interactions", map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "team": map[string]any{"id": slackfake.TeamID},
		"trigger_id": h.slack.NewTriggerID(), "response_url": h.slack.ResponseURL(), "api_app_id": slackfake.AppID,
		"container": map[string]any{"type": "message", "message_ts": m.TS, "channel_id": m.Channel, "is_ephemeral": false},
		"channel":   map[string]any{"id": m.Channel},
		"message":   map[string]any{"type": "message", "ts": m.TS, "text": m.Text, "blocks": blocks},
		"actions":   []any{action},
	})
}

func (h *harness) actionStatus(id string) (status string, due time.Time) {
	h.t.Helper()
	if err := h.db.SQLX().QueryRow(`SELECT status, due_at FROM next_actions WHERE id = $1`, id).Scan(&status, &due); err != nil {
		h.t.Fatal(err)
	}
	return status, due
}

func TestReminderDoneClosesTheActionAndUpdatesTheMessage(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	id, msg := h.remind("Acme", "send the contract")
	h.pressOnMessage(rep, msg, map[string]any{"action_id": "reminder_done", "block_id": "act:a" + id, "type": "button", "value": id})
	if status, _ := h.actionStatus(id); status != "done" {
		t.Fatalf("status = %s, want done", status)
	}
	updated := h.slack.Messages(rep)
	last := updated[len(updated)-1]
	if last.Edits != 1 || !strings.Contains(string(last.Blocks), "Done: *send the contract*") || strings.Contains(string(last.Blocks), "reminder_done") {
		t.Errorf("message after Done = %d edits, %s", last.Edits, last.Blocks)
	}
	// A second press on a stale copy changes nothing and says so.
	h.pressOnMessage(rep, msg, map[string]any{"action_id": "reminder_done", "block_id": "act:a" + id, "type": "button", "value": id})
	if again := h.slack.Messages(rep)[len(updated)-1]; !strings.Contains(string(again.Blocks), "already closed") {
		t.Errorf("second Done did not say the step was closed: %s", again.Blocks)
	}
}

func TestReminderSnoozeMovesTheAction(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	id, msg := h.remind("Acme", "send the contract")
	h.pressOnMessage(rep, msg, map[string]any{"action_id": "reminder_snooze_3", "block_id": "act:a" + id, "type": "button", "value": id})
	status, due := h.actionStatus(id)
	if want := time.Date(2026, 11, 21, 9, 0, 0, 0, shanghaiLoc(t)); status != "snoozed" || !due.Equal(want) {
		t.Errorf("after Snooze 3 days: %s due %s, want snoozed due %s", status, due, want)
	}
	h.pressOnMessage(rep, msg, map[string]any{"action_id": "reminder_snooze_date", "block_id": "act:a" + id, "type": "datepicker", "selected_date": "2026-12-01"})
	if _, due := h.actionStatus(id); !due.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, shanghaiLoc(t))) {
		t.Errorf("after picking 1 Dec: due %s", due)
	}
	h.pressOnMessage(rep, msg, map[string]any{"action_id": "reminder_snooze_date", "block_id": "act:a" + id, "type": "datepicker", "selected_date": "2026-11-01"})
	if _, due := h.actionStatus(id); !due.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, shanghaiLoc(t))) {
		t.Errorf("a date in the past moved the action to %s", due)
	}
}

func TestReminderLogButtonOpensThePrefilledModal(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	_, msg := h.remind("Acme", "send the contract")
	h.pressOnMessage(rep, msg, map[string]any{"action_id": "log_followup_for", "block_id": "act:a1", "type": "button", "value": h.customerID("Acme Trading Co")})
	v, ok := h.slack.LastView("log_followup")
	if !ok || !strings.Contains(string(v.Blocks), `"initial_option":{"text":{"emoji":false,"text":"Acme Trading Co (C`) {
		t.Fatalf("log modal = %s, want Acme preselected", v.Blocks)
	}
}

func TestHomeTabShowsTheDayAndPassesBlockKitLimits(t *testing.T) {
	h := newHarness(t)
	for i, name := range []string{"Acme Trading Co", "Baichuan", "Globex"} {
		h.newCustomer(rep, name, "1380000000"+string(rune('0'+i)))
	}
	for i := 0; i < 60; i++ {
		h.command(rep, "log Acme: call "+string(rune('A'+i%26))+" next: follow up <!channel> in "+string(rune('1'+i%9))+" days")
	}
	h.clock.Advance(5 * 24 * time.Hour) // some overdue, Baichuan and Globex past cadence
	raw := readSample(t, "event_callback.app_home_opened.home-tab.real.json")
	var ev map[string]any
	json.Unmarshal(raw, &ev)
	ev["event"].(map[string]any)["user"] = rep
	ev["event_id"] = "Ev0HOME0001"
	h.post("/slack/events", "application/json", []byte(mustJSON(t, ev)), nil)
	home, ok := h.slack.HomeView(rep)
	if !ok {
		t.Fatal("no Home tab published")
	}
	if err := slackfake.ValidateView(home.JSON); err != nil {
		t.Fatalf("Home tab breaks Block Kit limits: %v", err)
	}
	for _, want := range []string{"Overdue", "Upcoming", "Customers past their cadence", "Baichuan", "reminder_menu"} {
		if !strings.Contains(string(home.Blocks), want) {
			t.Errorf("Home tab lacks %q", want)
		}
	}
	if strings.Contains(string(home.Blocks), "<!channel>") {
		t.Errorf("Home tab has an unescaped mention")
	}
	_ = followup.LocaleEN
}

func shanghaiLoc(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestHomeRefreshesAreGroupedPerPerson(t *testing.T) {
	h := newHarness(t)
	h.startWith(h.redis, 300*time.Millisecond)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	before := len(h.slack.CallsTo("views.publish"))
	h.noWait = true // a rep logging quickly: the next log arrives before the refresh is due
	for i := 0; i < 5; i++ {
		h.command(rep, "log acme: call "+string(rune('a'+i))+" next: send quote in "+string(rune('1'+i))+" days")
	}
	h.bot.Wait()
	if got := len(h.slack.CallsTo("views.publish")) - before; got != 1 {
		t.Errorf("views.publish after 5 logs in a row = %d, want 1", got)
	}
	home, _ := h.slack.HomeView(rep)
	if !strings.Contains(string(home.Blocks), "send quote") || strings.Count(string(home.Blocks), "Acme Trading Co") < 5 {
		t.Errorf("the grouped publish does not show the last change: %s", home.Blocks)
	}
}
