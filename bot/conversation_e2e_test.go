package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup/bot/slackfake"
)

// dmChannel is the id of the rep's DM with the bot, as Slack would put it in events.
func (h *harness) dmChannel(user string) string {
	h.t.Helper()
	ch, _, _, err := h.slack.Client().OpenConversation(&slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		h.t.Fatal(err)
	}
	return ch.ID
}

// say delivers a DM from user to the bot as an Events API message.im callback.
func (h *harness) say(user, text, eventID string) string {
	h.t.Helper()
	ts := fmt.Sprintf("%d.%06d", h.clock.Now().Unix(), len(eventID))
	h.sayEvent(map[string]any{"type": "message", "channel": h.dmChannel(user), "channel_type": "im", "user": user, "text": text, "ts": ts, "event_ts": ts}, eventID)
	return ts
}

func (h *harness) sayEvent(event map[string]any, eventID string) {
	h.t.Helper()
	body := mustJSON(h.t, map[string]any{
		"token": "x", "team_id": slackfake.TeamID, "api_app_id": slackfake.AppID, "type": "event_callback",
		"event_id": eventID, "event_time": h.clock.Now().Unix(), "event": event,
	})
	h.post("/slack/events", "application/json", []byte(body), nil)
}

// thread returns the bot's messages in the DM thread started at ts.
func (h *harness) thread(user, ts string) []slackfake.Message {
	var out []slackfake.Message
	for _, m := range h.slack.Messages(user) {
		if m.ThreadTS == ts {
			out = append(out, m)
		}
	}
	return out
}

func TestDMCompleteLogInOneMessage(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	ts := h.say(rep, "Called Acme, they want a demo; next: send the deck Friday", "Ev0DM00001")
	replies := h.thread(rep, ts)
	if len(replies) != 1 {
		t.Fatalf("replies in the thread = %d, want 1 summary", len(replies))
	}
	for _, want := range []string{"Acme Trading Co", "they want a demo", "send the deck", "Fri 20 Nov", "Phone", "dm_save"} {
		if !contains(replies[0], want) {
			t.Errorf("summary lacks %q: %s", want, replies[0].Blocks)
		}
	}
	if h.count(`SELECT count(*) FROM follow_ups`) != 0 {
		t.Fatalf("saved before the rep pressed Save")
	}
	h.pressOnMessage(rep, replies[0], map[string]any{"action_id": "dm_save", "block_id": "dm_confirm", "type": "button", "value": ts})
	if got := h.count(`SELECT count(*) FROM follow_ups f JOIN next_actions a ON a.follow_up_id = f.id
		WHERE f.source = 'dm' AND f.method = 'phone' AND a.text = 'send the deck' AND a.due_at = '2026-11-20 09:00+08'`); got != 1 {
		t.Fatalf("saved follow-ups = %d, want 1 with its next step", got)
	}
	after := h.thread(rep, ts)
	if !contains(after[0], "Saved your follow-up") || after[0].Edits != 1 {
		t.Errorf("summary not replaced by the confirmation: %s", after[0].Blocks)
	}
	// Save pressed again on the old buttons: the conversation is over, nothing more is saved.
	h.pressOnMessage(rep, replies[0], map[string]any{"action_id": "dm_save", "block_id": "dm_confirm", "type": "button", "value": ts})
	if got := h.count(`SELECT count(*) FROM follow_ups`); got != 1 {
		t.Errorf("follow-ups after a second Save = %d, want 1", got)
	}
}

func TestDMAsksOneQuestionThenSaves(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(repZH, "百川商贸", "13800005678")
	ts := h.say(repZH, "拜访了百川商贸，对价格有疑虑，下一步：发送定制方案", "Ev0DM00002")
	replies := h.thread(repZH, ts)
	if len(replies) != 1 || !contains(replies[0], "什么时候完成") {
		t.Fatalf("want one question about the date, got %d: %v", len(replies), replies)
	}
	h.say(repZH, "3天内", "Ev0DM00003")
	replies = h.thread(repZH, ts)
	if len(replies) != 2 || !contains(replies[1], "百川商贸") || !contains(replies[1], "11月21日") || !contains(replies[1], "dm_save") {
		t.Fatalf("after the answer: %d replies, last %s", len(replies), replies[len(replies)-1].Blocks)
	}
	h.pressOnMessage(repZH, replies[1], map[string]any{"action_id": "dm_save", "block_id": "dm_confirm", "type": "button", "value": ts})
	if got := h.count(`SELECT count(*) FROM next_actions WHERE text = '发送定制方案' AND due_at = '2026-11-21 09:00+08'`); got != 1 {
		t.Errorf("next step not saved with the answered date")
	}
	if got := h.count(`SELECT count(*) FROM follow_ups WHERE method = 'visit' AND mood = 'hesitant'`); got != 1 {
		t.Errorf("method and mood not understood from the message")
	}
}

func TestDMAskWhichCustomer(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	ts := h.say(rep, "Called Wang about the renewal", "Ev0DM00004")
	if replies := h.thread(rep, ts); len(replies) != 1 || !contains(replies[0], "Which customer") {
		t.Fatalf("want a question about the customer, got %v", replies)
	}
	h.say(rep, "globex", "Ev0DM00005")
	if replies := h.thread(rep, ts); !contains(replies[len(replies)-1], "couldn't find") {
		t.Fatalf("an unknown answer was not said so")
	}
	h.say(rep, "acme", "Ev0DM00006")
	replies := h.thread(rep, ts)
	if last := replies[len(replies)-1]; !contains(last, "Acme Trading Co") || !contains(last, "dm_save") {
		t.Fatalf("after naming the customer: %s", last.Blocks)
	}
}

func TestDMAbandonedConversationExpires(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	ts := h.say(rep, "Emailed Acme the brochure", "Ev0DM00007")
	summary := h.thread(rep, ts)[0]
	// The TTL runs out (Redis drops the key) before the rep comes back.
	keys, err := h.rdb.Keys(context.Background(), "*dm:"+rep).Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("conversation keys = %v, %v", keys, err)
	}
	if ttl := h.rdb.TTL(context.Background(), keys[0]).Val(); ttl <= 0 || ttl > 31*60*1e9 {
		t.Errorf("conversation TTL = %v, want about 30 minutes", ttl)
	}
	h.rdb.Del(context.Background(), keys...)
	h.pressOnMessage(rep, summary, map[string]any{"action_id": "dm_save", "block_id": "dm_confirm", "type": "button", "value": ts})
	if got := h.count(`SELECT count(*) FROM follow_ups`); got != 0 {
		t.Errorf("an expired conversation saved %d follow-ups", got)
	}
	if after := h.thread(rep, ts)[0]; !contains(after, "expired") {
		t.Errorf("the rep was not told it expired: %s", after.Blocks)
	}
}

func TestDMRetriedEventIsHandledOnceAndBotMessagesIgnored(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	ts := h.say(rep, "Visited Acme today", "Ev0DM00008")
	h.sayEvent(map[string]any{"type": "message", "channel": h.dmChannel(rep), "channel_type": "im", "user": rep, "text": "Visited Acme today", "ts": ts, "event_ts": ts}, "Ev0DM00008")
	if got := len(h.thread(rep, ts)); got != 1 {
		t.Errorf("replies after a retried delivery = %d, want 1", got)
	}
	before := len(h.slack.CallsTo("chat.postMessage"))
	h.sayEvent(map[string]any{"type": "message", "channel": h.dmChannel(rep), "channel_type": "im", "bot_id": "B0BOT", "text": "Here is what I understood", "ts": "1.2"}, "Ev0DM00009")
	h.sayEvent(map[string]any{"type": "message", "subtype": "message_changed", "channel": h.dmChannel(rep), "channel_type": "im", "ts": "1.3",
		"message": map[string]any{"user": rep, "text": "Visited Acme yesterday"}}, "Ev0DM00010")
	if got := len(h.slack.CallsTo("chat.postMessage")); got != before {
		t.Errorf("the bot answered a bot message or an edit")
	}
}

// contains reports whether the message's text or blocks hold s.
func contains(m slackfake.Message, s string) bool {
	return strings.Contains(m.Text, s) || strings.Contains(string(m.Blocks), s)
}
