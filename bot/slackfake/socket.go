package slackfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Socket Mode: apps.connections.open hands out a one-time websocket URL on the fake's own
// host; the connection gets hello, PINGs and the envelopes a test sends, and the fake
// records the client's acks. The bot under test dials it with slack-go's real socketmode
// client, so its reconnects, PING deadline and ack encoding are the ones it runs with.

// DefaultAppToken is the app-level token apps.connections.open accepts unless WithAppToken
// says otherwise.
const DefaultAppToken = "xapp-test"

// Envelope kinds SendEnvelope takes: the envelope "type" Slack uses for each surface.
const (
	EnvelopeEventsAPI     = "events_api"
	EnvelopeSlashCommands = "slash_commands"
	EnvelopeInteractive   = "interactive"
)

// MethodSocketAck records each message a Socket Mode client sends back (an ack), so Calls
// and WaitFor see socket traffic too. Call.URL is the connection's path.
const MethodSocketAck = "socket_ack"

// DefaultSocketPingInterval is how often the fake PINGs a connection. slack-go's client
// reconnects when it sees no PING for its max ping interval (30 s by default); a test that
// lowers that with socketmode.OptionPingInterval lowers this below it with
// WithSocketPingInterval.
const DefaultSocketPingInterval = 5 * time.Second

const (
	methodConnectionsOpen = "apps.connections.open"
	socketPathPrefix      = "/socket/"
	socketWriteTimeout    = 5 * time.Second
)

// WithAppToken sets the app-level token (xapp-...) apps.connections.open accepts (default
// DefaultAppToken). The bot token gets not_allowed_token_type, any other invalid_auth and
// none not_authed, as from Slack.
func WithAppToken(token string) Option { return func(s *Server) { s.socket.appToken = token } }

// WithSocketPingInterval sets how often the fake PINGs each Socket Mode connection (default
// DefaultSocketPingInterval). The first PING follows hello at once.
func WithSocketPingInterval(d time.Duration) Option {
	return func(s *Server) { s.socket.pingEvery = d }
}

// socketState is the Server's Socket Mode side. Its fields are guarded by Server.mu.
type socketState struct {
	appToken  string
	pingEvery time.Duration
	seq       int                        // source of connection URLs
	tickets   map[string]bool            // issued URL paths not dialed yet; each dials once
	conns     []*socketConn              // upgraded and not yet gone, oldest first
	connects  int                        // connections ever upgraded
	sent      map[string]bool            // envelope ids sent
	acks      map[string]json.RawMessage // envelope id -> first ack's payload (nil if none)
	closed    bool
	wg        sync.WaitGroup // one per connection, for Close
}

// socketConn is one upgraded connection. gorilla/websocket allows one writer at a time
// (control frames excepted), hence wmu.
type socketConn struct {
	path    string
	ws      *websocket.Conn
	wmu     sync.Mutex
	closing bool // DisconnectSocket or Close is ending it; guarded by Server.mu
}

func (c *socketConn) writeJSON(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.write(v)
}

// write sends v; callers hold c.wmu.
func (c *socketConn) write(v any) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(socketWriteTimeout))
	return c.ws.WriteJSON(v)
}

// end tells the client why and closes, as Slack ends a connection: a disconnect message
// (refresh_requested, warning, link_disabled...), then the close handshake's first half.
func (c *socketConn) end(disconnect any) {
	if disconnect != nil {
		_ = c.writeJSON(disconnect)
	}
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	_ = c.ws.Close()
}

func (s *Server) appToken() string {
	if s.socket.appToken == "" {
		return DefaultAppToken
	}
	return s.socket.appToken
}

// serveConnectionsOpen answers apps.connections.open. slack-go posts it as JSON with an
// empty body, which serveAPI's argument parsing would refuse, and it wants the app-level
// token rather than the bot token.
func (s *Server) serveConnectionsOpen(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := newCall(methodConnectionsOpen, r, args{}, body, s.now())
	defer func() { s.record(c) }()
	if f := s.takeFault(methodConnectionsOpen); f != nil {
		c.Status, c.Error = f.write(w)
		return
	}
	// "Bearer " with no token arrives as "Bearer": net/http trims header values.
	scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if scheme != "Bearer" {
		token = ""
	}
	if token == "" && scheme != "Bearer" {
		_ = r.ParseForm()
		token = r.Form.Get("token")
	}
	switch token {
	case s.appToken():
	case "":
		c.Status, c.Error = writeJSON(w, http.StatusOK, errorf("not_authed"))
		return
	case s.token:
		c.Status, c.Error = writeJSON(w, http.StatusOK, errorf("not_allowed_token_type"))
		return
	default:
		c.Status, c.Error = writeJSON(w, http.StatusOK, errorf("invalid_auth"))
		return
	}
	s.socket.seq++
	path := fmt.Sprintf("%s%d", socketPathPrefix, s.socket.seq)
	if s.socket.tickets == nil {
		s.socket.tickets = map[string]bool{}
	}
	s.socket.tickets[path] = true
	url := "ws" + strings.TrimPrefix(s.srv.URL, "http") + path
	c.Status, c.Error = writeJSON(w, http.StatusOK, map[string]any{"ok": true, "url": url})
}

// serveSocket upgrades a dial of a URL from apps.connections.open, once per URL (slack-go
// opens a new one before every connect, so a client that reuses one is caught), says
// hello, PINGs, and records acks until the connection ends.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	issued := s.socket.tickets[r.URL.Path]
	delete(s.socket.tickets, r.URL.Path)
	s.mu.Unlock()
	if !issued {
		http.Error(w, "unknown or used socket URL", http.StatusNotFound)
		return
	}
	// slack-go sends Origin: https://api.slack.com, which the default check refuses.
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the client
	}
	c := &socketConn{path: r.URL.Path, ws: ws}
	// Hello goes first, as from Slack: an envelope sent as soon as the connection shows
	// waits for it.
	c.wmu.Lock()

	s.mu.Lock()
	if s.socket.closed {
		s.mu.Unlock()
		c.wmu.Unlock()
		ws.Close()
		return
	}
	s.socket.conns = append(s.socket.conns, c)
	s.socket.connects++
	s.socket.wg.Add(1)
	hello := map[string]any{"type": "hello", "num_connections": len(s.openConns()),
		"debug_info":      map[string]any{"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
		"connection_info": map[string]any{"app_id": AppID}}
	every := s.socket.pingEvery
	s.notify()
	s.mu.Unlock()
	defer s.socket.wg.Done()
	if every <= 0 {
		every = DefaultSocketPingInterval
	}

	done, pinged := make(chan struct{}), make(chan struct{})
	defer func() {
		close(done)
		ws.Close()
		<-pinged // Close returns with no goroutine of the fake left
		s.mu.Lock()
		defer s.mu.Unlock()
		s.socket.conns = removeConn(s.socket.conns, c)
		s.notify()
	}()
	helloErr := c.write(hello)
	c.wmu.Unlock()
	go func() {
		defer close(pinged)
		if helloErr == nil {
			ping(c.ws, every, done)
		}
	}()
	if helloErr != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		s.recordAck(c.path, msg)
	}
}

// ping sends PING control frames, the first at once, until done is closed or a write
// fails (the read loop then notices the dead connection).
func ping(ws *websocket.Conn, every time.Duration, done <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(socketWriteTimeout)) != nil {
			return
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

// recordAck keeps the payload of the first ack of each envelope the fake sent. Messages
// that are not acks of a sent envelope are recorded with Error set by the fake
// (invalid_ack, unknown_envelope_id, duplicate_ack) so a test can see them; Slack ignores them.
func (s *Server) recordAck(path string, msg []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Call{Method: MethodSocketAck, Body: msg, URL: path, At: s.now()}
	var ack struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	_ = json.Unmarshal(msg, &c.JSON)
	switch {
	case json.Unmarshal(msg, &ack) != nil || ack.EnvelopeID == "":
		c.Error = "invalid_ack"
	case !s.socket.sent[ack.EnvelopeID]:
		c.Error = "unknown_envelope_id"
	default:
		if _, dup := s.socket.acks[ack.EnvelopeID]; dup {
			c.Error = "duplicate_ack"
			break
		}
		if s.socket.acks == nil {
			s.socket.acks = map[string]json.RawMessage{}
		}
		var payload json.RawMessage // a plain ack, or an explicit null
		if p := compact(ack.Payload); len(p) > 0 && string(p) != "null" {
			payload = p
		}
		s.socket.acks[ack.EnvelopeID] = payload
	}
	s.record(c)
}

// notify wakes the Wait... methods after a change that records no call. Callers hold s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// openConns are the connections not being ended, oldest first. Callers hold s.mu.
func (s *Server) openConns() []*socketConn {
	var out []*socketConn
	for _, c := range s.socket.conns {
		if !c.closing {
			out = append(out, c)
		}
	}
	return out
}

func removeConn(conns []*socketConn, c *socketConn) []*socketConn {
	for i, x := range conns {
		if x == c {
			return append(conns[:i:i], conns[i+1:]...)
		}
	}
	return conns
}

// closeSockets ends every connection and waits for their goroutines; later dials are
// refused. It is safe to call more than once.
func (s *Server) closeSockets() {
	s.mu.Lock()
	s.socket.closed = true
	conns := s.openConns()
	for _, c := range conns {
		c.closing = true
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.end(nil)
	}
	s.socket.wg.Wait()
}

// SocketConnections is the number of Socket Mode connections open now (not counting one
// DisconnectSocket is ending).
func (s *Server) SocketConnections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.openConns())
}

// SocketConnects is the number of Socket Mode connections ever opened: it goes up by one
// each time a client reconnects.
func (s *Server) SocketConnects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.socket.connects
}

// WaitSocketConnects waits until at least n Socket Mode connections were ever opened; it
// fails the test after timeout (real time).
func (s *Server) WaitSocketConnects(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	s.waitUntil(t, timeout, func() bool { return s.socket.connects >= n },
		func() string { return fmt.Sprintf("%d Socket Mode connect(s), got %d", n, s.socket.connects) })
}

// SendEnvelope sends payload (any JSON value; json.RawMessage and []byte are sent as they
// are) to the newest open connection in an envelope of kind (EnvelopeSlashCommands,
// EnvelopeInteractive or EnvelopeEventsAPI) and returns its envelope id, for WaitAck.
// accepts_response_payload is true for slash commands and for the interactions whose ack
// can carry an answer (view_submission, block_suggestion); false for events and for other
// interactions, as Slack's block_actions and shortcut samples show.
func (s *Server) SendEnvelope(kind string, payload any) (envelopeID string, err error) {
	raw, err := rawJSON(payload)
	if err != nil {
		return "", fmt.Errorf("slackfake: envelope payload: %w", err)
	}
	var accepts bool
	switch kind {
	case EnvelopeSlashCommands:
		accepts = true
	case EnvelopeInteractive:
		var p struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(raw, &p)
		accepts = p.Type == "view_submission" || p.Type == "block_suggestion"
	case EnvelopeEventsAPI:
	default:
		return "", fmt.Errorf("slackfake: unknown envelope kind %q", kind)
	}
	id := fmt.Sprintf("%s-%s-%s-%s-%s", randomHex(4), randomHex(2), randomHex(2), randomHex(2), randomHex(6))
	env := map[string]any{"envelope_id": id, "payload": raw, "type": kind, "accepts_response_payload": accepts}
	if kind == EnvelopeEventsAPI {
		env["retry_attempt"], env["retry_reason"] = 0, ""
	}

	s.mu.Lock()
	open := s.openConns()
	if len(open) == 0 {
		s.mu.Unlock()
		return "", errors.New("slackfake: no open Socket Mode connection")
	}
	c := open[len(open)-1]
	if s.socket.sent == nil {
		s.socket.sent = map[string]bool{}
	}
	s.socket.sent[id] = true
	s.mu.Unlock()
	if err := c.writeJSON(env); err != nil {
		return "", fmt.Errorf("slackfake: send envelope: %w", err)
	}
	return id, nil
}

func rawJSON(v any) (json.RawMessage, error) {
	switch v := v.(type) {
	case json.RawMessage:
		return v, nil
	case []byte:
		return v, nil
	}
	return json.Marshal(v)
}

// WaitAck waits for the client's ack of an envelope from SendEnvelope and returns the
// payload it carried, nil for a plain ack (no payload, or null). It fails the test after timeout (real time):
// Slack itself gives up after 3 s.
func (s *Server) WaitAck(t testing.TB, envelopeID string, timeout time.Duration) json.RawMessage {
	t.Helper()
	var payload json.RawMessage
	s.waitUntil(t, timeout, func() bool {
		p, ok := s.socket.acks[envelopeID]
		payload = p
		return ok
	}, func() string { return "the ack of envelope " + envelopeID })
	return payload
}

// DisconnectSocket ends the newest open connection as Slack does when it rotates one: a
// disconnect message with reason (refresh_requested, warning, link_disabled...), then
// the close. slack-go's client opens a new connection by itself. No-op if none is open.
func (s *Server) DisconnectSocket(reason string) {
	s.mu.Lock()
	open := s.openConns()
	if len(open) == 0 {
		s.mu.Unlock()
		return
	}
	c := open[len(open)-1]
	c.closing = true
	msg := map[string]any{"type": "disconnect", "reason": reason, "num_connections": len(open) - 1,
		"debug_info": map[string]any{"host": "applink-fake"}, "connection_info": map[string]any{"app_id": AppID}}
	s.notify()
	s.mu.Unlock()
	c.end(msg)
}

// waitUntil waits for cond (run with s.mu held) to hold, failing the test after timeout
// with what it waited for.
func (s *Server) waitUntil(t testing.TB, timeout time.Duration, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok, changed := cond(), s.changed
		s.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			s.mu.Lock()
			msg := what()
			s.mu.Unlock()
			t.Fatalf("slackfake: waited %v for %s", timeout, msg)
			return
		}
	}
}
