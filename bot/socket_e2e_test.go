package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
)

const socketWait = 10 * time.Second

// runSocketMode runs the harness's bot over Socket Mode against the fake until stop is
// called (or the test ends), and waits for the first connection. stop returns what
// RunSocketMode returned.
func (h *harness) runSocketMode() (stop func() error) {
	h.t.Helper()
	client := socketmode.New(h.slack.Client(slack.OptionAppLevelToken(slackfake.DefaultAppToken)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.bot.RunSocketMode(ctx, client) }()
	var err error
	stopped := false
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			select {
			case err = <-done:
			case <-time.After(socketWait):
				h.t.Fatal("RunSocketMode did not return after its context ended")
			}
		}
		return err
	}
	h.t.Cleanup(func() { stop() })
	h.slack.WaitSocketConnects(h.t, 1, socketWait)
	return stop
}

// send sends an envelope over the socket and returns the ack's payload.
func (h *harness) send(kind string, payload any) json.RawMessage {
	h.t.Helper()
	id, err := h.slack.SendEnvelope(kind, payload)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.slack.WaitAck(h.t, id, socketWait)
}

// socketCommand is `/followup text` from user as Socket Mode carries it: the fields of
// the HTTP form, as JSON.
func (h *harness) socketCommand(user, text string) map[string]any {
	return map[string]any{
		"token": "legacy", "team_id": slackfake.TeamID, "team_domain": "acme",
		"channel_id": "C0SALES001", "channel_name": "sales", "user_id": user, "user_name": "someone",
		"command": "/followup", "text": text, "api_app_id": slackfake.AppID,
		"response_url": h.slack.ResponseURL(), "trigger_id": h.slack.NewTriggerID(),
	}
}

func TestSocketModeCommandsAndTypeahead(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	stop := h.runSocketMode()

	t.Run("quick log acked with the confirmation", func(t *testing.T) {
		raw := h.send(slackfake.EnvelopeSlashCommands, h.socketCommand(rep, "log Acme: called Wang, wants a discount next: send the revised quote in 3 days"))
		var res commandResponse
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatalf("ack payload %s: %v", raw, err)
		}
		if got, want := res.ResponseType, "ephemeral"; got != want {
			t.Errorf("response_type = %q, want %q", got, want)
		}
		if !strings.Contains(res.Text, "Saved your follow-up with *Acme Trading Co*") {
			t.Errorf("answer = %q", res.Text)
		}
		if got, want := h.count(`SELECT count(*) FROM follow_ups WHERE summary = 'called Wang, wants a discount' AND source = 'quick'`), 1; got != want {
			t.Errorf("follow_ups = %d, want %d", got, want)
		}
	})
	t.Run("a form opens and the ack is plain", func(t *testing.T) {
		if raw := h.send(slackfake.EnvelopeSlashCommands, h.socketCommand(rep, "new Globex")); raw != nil {
			t.Errorf("ack payload = %s, want none", raw)
		}
		if _, ok := h.slack.LastView("new_customer"); !ok {
			t.Errorf("no new_customer modal opened")
		}
	})
	t.Run("block_suggestion acked with the options", func(t *testing.T) {
		raw := h.send(slackfake.EnvelopeInteractive, map[string]any{
			"type": "block_suggestion", "user": map[string]any{"id": rep}, "team": map[string]any{"id": slackfake.TeamID},
			"action_id": "customer", "block_id": "customer", "value": "acme", "api_app_id": slackfake.AppID,
			"view": map[string]any{"id": "V1", "type": "modal", "callback_id": "log_followup"},
		})
		var res struct {
			Options []struct {
				Text struct {
					Text string `json:"text"`
				} `json:"text"`
			} `json:"options"`
		}
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatalf("ack payload %s: %v", raw, err)
		}
		if got, want := len(res.Options), 1; got != want {
			t.Fatalf("options = %s, want %d", raw, want)
		}
		if got := res.Options[0].Text.Text; !strings.HasPrefix(got, "Acme Trading Co (") {
			t.Errorf("option = %q, want Acme Trading Co and its code", got)
		}
	})

	if err := stop(); err != nil {
		t.Errorf("RunSocketMode = %v after its context ended, want nil", err)
	}
}

func TestSocketModeEventIsHandledOnce(t *testing.T) {
	h := newHarness(t)
	stop := h.runSocketMode()
	var ev map[string]any
	if err := json.Unmarshal(readSample(t, "event_callback.app_home_opened.home-tab.real.json"), &ev); err != nil {
		t.Fatal(err)
	}
	ev["event"].(map[string]any)["user"] = rep
	ev["event_id"] = "Ev0SOCKET01"

	for i := range 2 { // Slack redelivers an event it thinks was lost, same event_id
		if raw := h.send(slackfake.EnvelopeEventsAPI, ev); raw != nil {
			t.Errorf("delivery %d: ack payload = %s, want none", i+1, raw)
		}
	}
	h.slack.WaitFor(t, "views.publish", 1, socketWait)
	if err := stop(); err != nil { // waits for both envelopes' handlers
		t.Errorf("RunSocketMode = %v, want nil", err)
	}
	h.bot.Wait()
	if got, want := len(h.slack.CallsTo("views.publish")), 1; got != want {
		t.Errorf("views.publish calls = %d, want %d", got, want)
	}
	if _, ok := h.slack.HomeView(rep); !ok {
		t.Errorf("no Home tab published for the rep")
	}
}

func TestSocketModeReconnectsWhenSlackRotatesTheConnection(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	stop := h.runSocketMode()

	h.slack.DisconnectSocket("refresh_requested")
	h.slack.WaitSocketConnects(t, 2, socketWait)

	raw := h.send(slackfake.EnvelopeSlashCommands, h.socketCommand(rep, "log Acme: sent the brochure next: ask for feedback in 2 days"))
	if !strings.Contains(string(raw), "Saved your follow-up with *Acme Trading Co*") {
		t.Errorf("ack payload after the reconnect = %s", raw)
	}
	if got, want := h.count(`SELECT count(*) FROM follow_ups WHERE summary = 'sent the brochure'`), 1; got != want {
		t.Errorf("follow_ups = %d, want %d", got, want)
	}
	if got, want := h.slack.SocketConnections(), 1; got != want {
		t.Errorf("open connections = %d, want %d", got, want)
	}
	if err := stop(); err != nil {
		t.Errorf("RunSocketMode = %v, want nil", err)
	}
}

func TestSocketModeTypeaheadFitsTheSocket(t *testing.T) {
	h := newHarness(t)
	// 100 matches with 75-character Chinese labels: about 28 KB of options, more than a
	// Socket Mode message may carry (HTTP would take them all).
	long := strings.Repeat("华", 70)
	h.command(rep, "help") // the rep becomes a person the customers can belong to
	for i := range 100 {
		_, err := h.db.CreateCustomer(context.Background(), followup.NewCustomer{
			Name: fmt.Sprintf("百川%s%03d", long, i), Kind: followup.KindCompany, Industry: "制造", Tier: followup.Tier("B"), Source: "referral", OwnerID: rep,
			Contact: followup.Contact{Name: "王军", Phone: fmt.Sprintf("1380000%04d", i)},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	h.runSocketMode()
	raw := h.send(slackfake.EnvelopeInteractive, map[string]any{
		"type": "block_suggestion", "user": map[string]any{"id": rep}, "action_id": "customer",
		"block_id": "customer", "value": "百川", "view": map[string]any{"id": "V1", "type": "modal"},
	})
	var res struct {
		Options []json.RawMessage `json:"options"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatalf("ack payload %s: %v", raw, err)
	}
	if n := len(res.Options); n < 50 || n >= 100 {
		t.Errorf("options = %d, want as many as fit in 20 KB", n)
	}
	if got, max := len(raw), 20*1024; got >= max {
		t.Errorf("ack payload = %d bytes, want under %d", got, max)
	}
}
