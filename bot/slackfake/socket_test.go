package slackfake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/followuphq/followup/bot/slackfake"
)

const wait = 5 * time.Second

// runSocket runs slack-go's real Socket Mode client against fake until the test ends.
func runSocket(t *testing.T, fake *slackfake.Server, opts ...socketmode.Option) *socketmode.Client {
	t.Helper()
	client := socketmode.New(fake.Client(slack.OptionAppLevelToken(slackfake.DefaultAppToken)), opts...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(wait):
			t.Error("socketmode client did not stop")
		}
	})
	return client
}

// nextEvent returns the client's next event of type want, skipping the others.
func nextEvent(t *testing.T, client *socketmode.Client, want socketmode.EventType) socketmode.Event {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case evt := <-client.Events:
			if evt.Type == want {
				return evt
			}
		case <-deadline:
			t.Fatalf("no %s event within %v", want, wait)
		}
	}
}

// socketSample reads one of the shared Socket Mode samples from the bot's testdata.
func socketSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "slack-payloads", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSocketModeHelloEnvelopesAndAcks(t *testing.T) {
	fake := slackfake.NewTest(t)
	client := runSocket(t, fake)

	connected := nextEvent(t, client, socketmode.EventTypeConnected)
	if ce, ok := connected.Data.(*socketmode.ConnectedEvent); !ok || ce.ConnectionCount != 0 {
		t.Errorf("connected = %+v, want the first connection", connected.Data)
	}
	hello := nextEvent(t, client, socketmode.EventTypeHello)
	if got, want := hello.Request.NumConnections, 1; got != want {
		t.Errorf("hello num_connections = %d, want %d", got, want)
	}
	if got, want := hello.Request.ConnectionInfo.AppID, slackfake.AppID; got != want {
		t.Errorf("hello app_id = %q, want %q", got, want)
	}
	if got, want := fake.SocketConnections(), 1; got != want {
		t.Errorf("SocketConnections = %d, want %d", got, want)
	}
	if got, want := len(fake.CallsTo("apps.connections.open")), 1; got != want {
		t.Errorf("apps.connections.open calls = %d, want %d", got, want)
	}

	t.Run("slash command acked with a payload", func(t *testing.T) {
		id, err := fake.SendEnvelope(slackfake.EnvelopeSlashCommands, map[string]any{
			"team_id": slackfake.TeamID, "user_id": "U0REP00001", "command": "/followup", "text": "due",
			"response_url": fake.ResponseURL(), "trigger_id": fake.NewTriggerID(),
		})
		if err != nil {
			t.Fatal(err)
		}
		evt := nextEvent(t, client, socketmode.EventTypeSlashCommand)
		cmd, _ := evt.Data.(slack.SlashCommand)
		if cmd.Command != "/followup" || cmd.Text != "due" || cmd.UserID != "U0REP00001" {
			t.Errorf("command = %+v", cmd)
		}
		if got, want := evt.Request.EnvelopeID, id; got != want {
			t.Errorf("envelope id = %q, want %q", got, want)
		}
		if !evt.Request.AcceptsResponsePayload {
			t.Errorf("accepts_response_payload = false for a slash command")
		}
		if err := client.Ack(*evt.Request, map[string]string{"text": "Nothing due"}); err != nil {
			t.Fatal(err)
		}
		if got, want := string(fake.WaitAck(t, id, wait)), `{"text":"Nothing due"}`; got != want {
			t.Errorf("ack payload = %s, want %s", got, want)
		}
	})
	t.Run("block_actions sample acked without payload", func(t *testing.T) {
		var env struct {
			Payload json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(socketSample(t, "socket_mode.envelope.interactive.block_actions.json"), &env); err != nil {
			t.Fatal(err)
		}
		id, err := fake.SendEnvelope(slackfake.EnvelopeInteractive, env.Payload)
		if err != nil {
			t.Fatal(err)
		}
		evt := nextEvent(t, client, socketmode.EventTypeInteractive)
		cb, _ := evt.Data.(slack.InteractionCallback)
		if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) != 1 {
			t.Errorf("interaction = %s with %d actions, want block_actions with 1", cb.Type, len(cb.ActionCallback.BlockActions))
		}
		if evt.Request.AcceptsResponsePayload {
			t.Errorf("accepts_response_payload = true for block_actions; Slack says false")
		}
		client.Ack(*evt.Request)
		if got := fake.WaitAck(t, id, wait); got != nil {
			t.Errorf("plain ack payload = %s, want nil", got)
		}
	})
	t.Run("events_api", func(t *testing.T) {
		var env struct {
			Payload json.RawMessage `json:"payload"`
		}
		lines := socketSample(t, "socket_mode.messages.jsonl")
		dec := json.NewDecoder(bytes.NewReader(lines))
		for range 3 { // hello, slash command, then the app_mention event
			if err := dec.Decode(&env); err != nil {
				t.Fatal(err)
			}
		}
		id, err := fake.SendEnvelope(slackfake.EnvelopeEventsAPI, env.Payload)
		if err != nil {
			t.Fatal(err)
		}
		evt := nextEvent(t, client, socketmode.EventTypeEventsAPI)
		ev, _ := evt.Data.(slackevents.EventsAPIEvent)
		if got, want := ev.InnerEvent.Type, "app_mention"; got != want {
			t.Errorf("inner event = %q, want %q", got, want)
		}
		if evt.Request.AcceptsResponsePayload {
			t.Errorf("accepts_response_payload = true for an event")
		}
		client.Ack(*evt.Request)
		fake.WaitAck(t, id, wait)
	})
	t.Run("unknown kind", func(t *testing.T) {
		if _, err := fake.SendEnvelope("rtm", map[string]any{}); err == nil {
			t.Error("an unknown envelope kind was sent")
		}
	})
}

func TestSocketModeDisconnectReconnects(t *testing.T) {
	fake := slackfake.NewTest(t)
	client := runSocket(t, fake)
	nextEvent(t, client, socketmode.EventTypeHello)

	fake.DisconnectSocket("refresh_requested")
	fake.WaitSocketConnects(t, 2, wait)
	connected := nextEvent(t, client, socketmode.EventTypeConnected)
	if ce, ok := connected.Data.(*socketmode.ConnectedEvent); !ok || ce.ConnectionCount != 1 {
		t.Errorf("connected = %+v, want the second connection", connected.Data)
	}
	nextEvent(t, client, socketmode.EventTypeHello)
	if got, want := fake.SocketConnections(), 1; got != want {
		t.Errorf("SocketConnections = %d after the reconnect, want %d", got, want)
	}
	if got, want := len(fake.CallsTo("apps.connections.open")), 2; got != want {
		t.Errorf("apps.connections.open calls = %d, want %d: a socket URL dials once", got, want)
	}

	// The new connection carries envelopes and acks.
	id, err := fake.SendEnvelope(slackfake.EnvelopeSlashCommands, map[string]any{"user_id": "U0REP00001", "command": "/followup"})
	if err != nil {
		t.Fatal(err)
	}
	evt := nextEvent(t, client, socketmode.EventTypeSlashCommand)
	client.Ack(*evt.Request)
	fake.WaitAck(t, id, wait)
}

func TestSocketModePings(t *testing.T) {
	t.Run("keep the client connected", func(t *testing.T) {
		fake := slackfake.NewTest(t, slackfake.WithSocketPingInterval(50*time.Millisecond))
		client := runSocket(t, fake, socketmode.OptionPingInterval(300*time.Millisecond))
		nextEvent(t, client, socketmode.EventTypeHello)
		time.Sleep(time.Second) // three of the client's ping deadlines
		if got, want := fake.SocketConnects(), 1; got != want {
			t.Errorf("SocketConnects = %d, want %d: the client timed out despite PINGs", got, want)
		}
	})
	t.Run("without them the client reconnects", func(t *testing.T) {
		fake := slackfake.NewTest(t, slackfake.WithSocketPingInterval(time.Hour))
		client := runSocket(t, fake, socketmode.OptionPingInterval(200*time.Millisecond))
		nextEvent(t, client, socketmode.EventTypeHello)
		fake.WaitSocketConnects(t, 2, wait)
	})
}

func TestSocketModeAuth(t *testing.T) {
	ctx := context.Background()
	fake := slackfake.NewTest(t, slackfake.WithAppToken("xapp-1-A0FAKEAPP1-secret"))
	for _, tc := range []struct{ token, want string }{
		{"xapp-1-A0FAKEAPP1-secret", ""},
		{slackfake.DefaultAppToken, "invalid_auth"},
		{fake.Token(), "not_allowed_token_type"},
		{"", "not_authed"},
	} {
		_, url, err := fake.Client(slack.OptionAppLevelToken(tc.token)).StartSocketModeContext(ctx)
		if got := slackError(err); got != tc.want {
			t.Errorf("token %q: error = %v, want %q", tc.token, err, tc.want)
		}
		if tc.want == "" && url == "" {
			t.Errorf("token %q: no url", tc.token)
		}
	}

	t.Run("the client gives up on a bad token", func(t *testing.T) {
		client := socketmode.New(fake.Client(slack.OptionAppLevelToken("xapp-wrong")))
		ctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		if err := client.RunContext(ctx); slackError(err) != "invalid_auth" {
			t.Errorf("RunContext = %v, want invalid_auth", err)
		}
	})
}

func TestSocketURLDialsOnce(t *testing.T) {
	fake := slackfake.NewTest(t)
	_, url, err := fake.Client(slack.OptionAppLevelToken(slackfake.DefaultAppToken)).StartSocketModeContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		conn, _, err := websocket.DefaultDialer.Dial(url, nil)
		if got := err == nil; got != want {
			t.Errorf("dial #%d: err = %v, want success %v", i+1, err, want)
		}
		if conn != nil {
			defer conn.Close()
		}
	}
	fake.WaitSocketConnects(t, 1, wait)
}

func TestCloseEndsSocketConnections(t *testing.T) {
	fake := slackfake.New()
	client := runSocket(t, fake)
	nextEvent(t, client, socketmode.EventTypeHello)
	closed := make(chan struct{})
	go func() { fake.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(wait):
		t.Fatal("Close did not return with a connection open")
	}
	if got, want := fake.SocketConnections(), 0; got != want {
		t.Errorf("SocketConnections = %d after Close, want %d", got, want)
	}
	if _, err := fake.SendEnvelope(slackfake.EnvelopeEventsAPI, map[string]any{}); err == nil {
		t.Error("SendEnvelope after Close succeeded")
	}
}
