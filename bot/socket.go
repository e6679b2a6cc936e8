package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// socketHandlers bounds the envelopes handled at once. Each gets its own goroutine so one
// slow handler (a views.open waiting on Slack) does not hold up the acks of the others,
// which Slack wants within 3 s; the bound keeps a burst from piling up goroutines without
// limit: once it is reached the loop reads no further until a handler is done.
const socketHandlers = 64

// envelopeTimeout bounds the handling of one envelope. It is not tied to RunSocketMode's
// context: work that has started (a save) finishes at shutdown, as an HTTP request does
// under http.Server.Shutdown, and RunSocketMode waits for it.
const envelopeTimeout = 15 * time.Second

// maxAckSize is Slack's limit on a Socket Mode message: slack-go refuses an ack this big,
// and Slack would drop it silently anyway.
const maxAckSize = 20 * 1024

// RunSocketMode receives Slack's requests over Socket Mode (for a bot Slack cannot reach
// over HTTP) and answers them with the same logic as the HTTP endpoints; no signature is
// checked because the app-level token authenticated the socket. It runs client, which
// reconnects by itself when Slack rotates the connection or its PINGs stop, and returns nil
// once ctx ends and the envelopes in hand are answered, or the client's error when it gives
// up (a revoked app token).
func (b *Bot) RunSocketMode(ctx context.Context, client *socketmode.Client) error {
	// live ends when the client has stopped, so an ack then fails at once instead of
	// waiting for a connection that will not come.
	live, dead := context.WithCancel(context.WithoutCancel(ctx))
	defer dead()
	runErr := make(chan error, 1)
	go func() {
		defer dead()
		runErr <- client.RunContext(ctx)
	}()

	var handlers sync.WaitGroup
	defer handlers.Wait()
	slots := make(chan struct{}, socketHandlers)
	for {
		select {
		case <-ctx.Done():
			<-runErr // the client stops promptly once ctx ends
			return nil
		case err := <-runErr:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("socket mode: %w", err)
		case evt := <-client.Events:
			if envelopeID(evt) == "" {
				b.logSocketEvent(ctx, evt)
				continue
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				continue // unacked: Slack retries events; the loop returns next
			}
			handlers.Add(1)
			go func() {
				defer func() { <-slots; handlers.Done() }()
				b.handleEnvelope(ctx, live, client, evt)
			}()
		}
	}
}

// envelopeID is the id to ack, "" for the client's own events (connecting, hello...).
func envelopeID(evt socketmode.Event) string {
	if evt.Request != nil {
		return evt.Request.EnvelopeID
	}
	if bad, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
		var env struct {
			EnvelopeID string `json:"envelope_id"`
		}
		_ = json.Unmarshal(bad.Message, &env) // no id: nothing to ack
		return env.EnvelopeID
	}
	return ""
}

// handleEnvelope answers one envelope. Commands and interactions are acked with their
// answer, as their HTTP response would carry it; events are acked first and handled after.
func (b *Bot) handleEnvelope(ctx, live context.Context, client *socketmode.Client, evt socketmode.Event) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), envelopeTimeout)
	defer cancel()
	// net/http recovers a handler's panic; a goroutine of ours would take the process
	// down with it.
	defer func() {
		if r := recover(); r != nil {
			b.log.ErrorContext(ctx, "socket mode handler panicked", "type", evt.Type, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	id := envelopeID(evt)
	ack := func(payload any) { b.ack(ctx, live, client, id, payload) }

	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd, _ := evt.Data.(slack.SlashCommand)
		if cmd.UserID == "" {
			b.log.WarnContext(ctx, "malformed slash command over socket mode", "envelope", id)
			ack(nil)
			return
		}
		b.ackCommand(ctx, ack, id, cmd, b.runCommand(ctx, cmd))
	case socketmode.EventTypeInteractive:
		cb, _ := evt.Data.(slack.InteractionCallback)
		if cb.User.ID == "" && cb.Type != slack.InteractionTypeBlockSuggestion {
			b.log.WarnContext(ctx, "malformed interaction over socket mode", "envelope", id)
			ack(nil)
			return
		}
		ack(b.fitAck(ctx, id, b.runInteraction(ctx, cb)))
	case socketmode.EventTypeEventsAPI:
		ack(nil) // at once: runEvent remembers the event id, so a redelivery changes nothing
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			b.runEvent(ctx, ev)
		}
	default:
		// An envelope slack-go could not parse, or of a type it does not know: acked so
		// Slack does not send it again.
		b.logSocketEvent(ctx, evt)
		ack(nil)
	}
}

// ackCommand acks a slash command with its answer. An answer too big for the socket (a
// long customer card) goes to the command's response_url instead, where it lands the same.
func (b *Bot) ackCommand(ctx context.Context, ack func(any), id string, cmd slack.SlashCommand, res *response) {
	switch {
	case res == nil:
		ack(nil)
	case ackFits(id, res) || cmd.ResponseURL == "":
		ack(res)
	default:
		ack(nil)
		url, answer := cmd.ResponseURL, *res
		b.later(ctx, "oversized command answer", func(ctx context.Context) error { return b.respond(ctx, url, answer) })
	}
}

// fitAck makes an interaction's answer fit the socket: a typeahead keeps as many options
// as fit (Chinese names take three bytes a character, so 100 of them may not); anything
// else too big is dropped with an error in the log, as Slack would drop it silently.
func (b *Bot) fitAck(ctx context.Context, id string, res any) any {
	if opts, ok := res.(optionsResponse); ok {
		for len(opts.Options) > 0 && !ackFits(id, opts) {
			opts.Options = opts.Options[:len(opts.Options)*9/10]
		}
		return opts
	}
	if res != nil && !ackFits(id, res) {
		b.log.ErrorContext(ctx, "socket mode answer too large; acked without it", "envelope", id)
		return nil
	}
	return res
}

func ackFits(id string, payload any) bool {
	js, err := json.Marshal(socketmode.Response{EnvelopeID: id, Payload: payload})
	return err == nil && len(js) < maxAckSize
}

// ack sends the ack, giving up when ctx ends or the client has stopped (live): at shutdown
// slack-go's queue of outgoing acks is read by no one.
func (b *Bot) ack(ctx, live context.Context, client *socketmode.Client, id string, payload any) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(live, cancel)()
	if err := client.AckCtx(ctx, id, payload); err != nil {
		b.log.WarnContext(ctx, "socket mode ack failed", "envelope", id, "err", err)
	}
}

// logSocketEvent logs the client's connection life: routine steps at debug, trouble at
// warn. slack-go retries by itself; RunSocketMode returns when it gives up.
func (b *Bot) logSocketEvent(ctx context.Context, evt socketmode.Event) {
	switch data := evt.Data.(type) {
	case *slack.ConnectingEvent:
		b.log.DebugContext(ctx, "socket mode connecting", "attempt", data.Attempt, "connection", data.ConnectionCount)
	case *socketmode.ConnectedEvent:
		b.log.DebugContext(ctx, "socket mode connected", "connection", data.ConnectionCount)
	case *slack.ConnectionErrorEvent:
		b.log.WarnContext(ctx, "socket mode connection failed", "attempt", data.Attempt, "backoff", data.Backoff, "err", data.ErrorObj)
	case *slack.InvalidAuthEvent:
		b.log.WarnContext(ctx, "socket mode: the app-level token was refused")
	case *slack.IncomingEventError:
		b.log.WarnContext(ctx, "socket mode read failed", "err", data.ErrorObj)
	case *socketmode.ErrorWriteFailed:
		id := ""
		if data.Response != nil {
			id = data.Response.EnvelopeID
		}
		b.log.WarnContext(ctx, "socket mode ack not sent", "envelope", id, "err", data.Cause)
	case *socketmode.ErrorBadMessage:
		b.log.WarnContext(ctx, "socket mode message not understood", "err", data.Cause)
	default:
		switch evt.Type {
		case socketmode.EventTypeHello:
			n := 0
			if evt.Request != nil {
				n = evt.Request.NumConnections
			}
			b.log.DebugContext(ctx, "socket mode hello", "connections", n)
		case socketmode.EventTypeDisconnect:
			b.log.DebugContext(ctx, "socket mode disconnect requested")
		default:
			b.log.DebugContext(ctx, "socket mode event ignored", "type", evt.Type)
		}
	}
}
