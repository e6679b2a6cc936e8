package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/internal/logtest"
	"github.com/followuphq/followup/internal/testclock"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// TestMain fails the run when anything the bot logged during it holds personal data, a
// token or a secret.
func TestMain(m *testing.M) {
	os.Exit(logtest.Main(m, storagetest.Main, signingSecret, storagetest.PIIKey))
}

const (
	signingSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	rep           = "U0REP00001"
	rep2          = "U0REP00002"
	repZH         = "U0REPZH001"
	admin         = "U0ADMIN001"
	boss          = "U0MANAGER1"
)

// harness runs the real bot over HTTP against real Postgres and Redis and the fake Slack.
type harness struct {
	t      *testing.T
	clock  *testclock.Clock
	slack  *slackfake.Server
	db     *storage.DB
	pg     *storagetest.Proxy
	redis  *storage.Redis
	rdb    redis.UniversalClient
	bot    *bot.Bot
	server *httptest.Server
	noWait bool        // do not wait for post-ack work after each request
	logs   *lockedLogs // what the bot logged, for tests of failures that are only logged
	// commandsPerMinute is the per-person limit the bot is (re)started with; 0: none.
	commandsPerMinute int
}

// lockedLogs is a log sink safe for the bot's concurrent post-ack work.
type lockedLogs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLogs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLogs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// newHarness starts everything; the clock stands at Wednesday 18 Nov 2026, 10:00 in
// Shanghai (02:00 UTC).
func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, storagetest.NewDSN(t))
}

// newHarnessOn is newHarness on the migrated database at dsn (a server of the test's own,
// for fault tests).
func newHarnessOn(t *testing.T, dsn string) *harness {
	t.Helper()
	h := &harness{t: t, clock: testclock.New(time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)), logs: &lockedLogs{}}
	h.slack = slackfake.NewTest(t, slackfake.WithClock(h.clock.Now))
	h.slack.AddUser(slack.User{ID: rep, Name: "wang", RealName: "Wang Wei", TZ: "Asia/Shanghai", Locale: "en-US"})
	h.slack.AddUser(slack.User{ID: rep2, Name: "li", RealName: "Li Na", TZ: "America/New_York", Locale: "en-US"})
	h.slack.AddUser(slack.User{ID: repZH, Name: "zhao", RealName: "赵敏", TZ: "Asia/Shanghai", Locale: "zh-CN"})
	h.slack.AddUser(slack.User{ID: admin, Name: "admin", TZ: "Asia/Shanghai", Locale: "en-US"})
	h.slack.AddUser(slack.User{ID: boss, Name: "boss", RealName: "Chen Jing", TZ: "Asia/Shanghai", Locale: "en-US"})

	dsn, proxy := storagetest.ProxyDSN(t, dsn)
	db, err := storage.Open(context.Background(), dsn, storage.WithClock(h.clock.Now), storage.WithKeyring(storagetest.Keyring()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h.db, h.pg = db, proxy
	h.redis, h.rdb = storagetest.NewRedis(t)
	h.start(h.redis)
	return h
}

// start (re)builds the bot on the given conversation state store.
func (h *harness) start(state bot.State) { h.startWith(state, 0) }

// startWith (re)builds the bot with a Home refresh delay.
func (h *harness) startWith(state bot.State, homeDelay time.Duration) {
	h.bot = bot.New(bot.Config{
		HomeRefreshDelay:  homeDelay,
		SigningSecret:     signingSecret,
		DefaultLocale:     followup.LocaleEN,
		DefaultTimezone:   time.UTC,
		AdminSlackIDs:     []string{admin},
		CommandsPerMinute: h.commandsPerMinute,
	}, h.db, state, h.slack.Client(), bot.WithClock(h.clock.Now), bot.WithLogger(slog.New(slog.NewTextHandler(h.logs, nil))))
	if h.server != nil {
		h.server.Close()
	}
	h.server = httptest.NewServer(h.bot.Handler())
	h.t.Cleanup(func() { h.server.Close(); h.bot.Wait() })
}

// post sends body to path. With a nil header it is signed exactly as Slack signs it, at
// the harness clock; otherwise the given headers are sent as they are.
func (h *harness) post(path, contentType string, body []byte, header http.Header) (int, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.server.URL+path, strings.NewReader(string(body)))
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	if header == nil {
		slackfake.SignRequest(req.Header, signingSecret, h.clock.Now(), body)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if !h.noWait {
		h.bot.Wait() // let post-ack work (confirmations) finish before the test looks
	}
	return resp.StatusCode, out
}

// command runs `/followup text` as user and returns the HTTP status and the response JSON.
func (h *harness) command(user, text string) (int, commandResponse) {
	h.t.Helper()
	form := url.Values{
		"token": {"legacy"}, "team_id": {slackfake.TeamID}, "team_domain": {"acme"},
		"channel_id": {"C0SALES001"}, "channel_name": {"sales"}, "user_id": {user}, "user_name": {"someone"},
		"command": {"/followup"}, "text": {text}, "api_app_id": {slackfake.AppID},
		"response_url": {h.slack.ResponseURL()}, "trigger_id": {h.slack.NewTriggerID()},
	}
	status, body := h.post("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()), nil)
	var res commandResponse
	if len(body) > 0 && status == http.StatusOK {
		if err := json.Unmarshal(body, &res); err != nil {
			h.t.Fatalf("command %q answered %q: %v", text, body, err)
		}
		res.Raw = unescapeJSON(body)
	}
	return status, res
}

type commandResponse struct {
	ResponseType string            `json:"response_type"`
	Text         string            `json:"text"`
	Blocks       []json.RawMessage `json:"blocks"`
	Raw          string            `json:"-"`
}

// interact sends an interactivity payload as Slack does: a form with one payload field.
func (h *harness) interact(path string, payload any) (int, []byte) {
	h.t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		h.t.Fatal(err)
	}
	form := url.Values{"payload": {string(raw)}}
	return h.post(path, "application/x-www-form-urlencoded", []byte(form.Encode()), nil)
}

// submit submits the view the fake last saw opened for callbackID, with values keyed
// block_id → value, as Slack's view_submission carries them.
func (h *harness) submit(user, callbackID string, values map[string]any) (int, map[string]any) {
	h.t.Helper()
	v, ok := h.slack.LastView(callbackID)
	if !ok {
		h.t.Fatalf("no %s view was opened", callbackID)
	}
	return h.submitView(user, map[string]any{
		"id": v.ID, "callback_id": callbackID, "private_metadata": v.PrivateMetadata,
		"blocks": v.Blocks, "hash": v.Hash, "root_view_id": v.RootViewID,
	}, values)
}

// submitView submits view (as the bot built it) with values.
func (h *harness) submitView(user string, view map[string]any, values map[string]any) (int, map[string]any) {
	h.t.Helper()
	state := map[string]map[string]any{}
	for block, val := range values {
		state[block] = map[string]any{block: val}
	}
	view["type"], view["app_id"] = "modal", slackfake.AppID
	view["state"] = map[string]any{"values": state}
	payload := map[string]any{
		"type": "view_submission", "team": map[string]any{"id": slackfake.TeamID},
		"user": map[string]any{"id": user, "team_id": slackfake.TeamID}, "api_app_id": slackfake.AppID,
		"trigger_id": h.slack.NewTriggerID(), "view": view,
	}
	status, body := h.interact("/slack/interactions", payload)
	var res map[string]any
	if len(body) > 0 {
		if err := json.Unmarshal(body, &res); err != nil {
			h.t.Fatalf("view_submission answered %q: %v", body, err)
		}
	}
	return status, res
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Values as the kinds of input elements report them.
func text(s string) map[string]any { return map[string]any{"type": "plain_text_input", "value": s} }
func pick(v string) map[string]any {
	return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}
}
func external(v string) map[string]any {
	return map[string]any{"type": "external_select", "selected_option": map[string]any{"value": v, "text": map[string]any{"type": "plain_text", "text": v}}}
}
func date(d string) map[string]any { return map[string]any{"type": "datepicker", "selected_date": d} }

// count runs a COUNT(*) query against the test database.
func (h *harness) count(query string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.SQLX().Get(&n, query, args...); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// unescapeJSON undoes encoding/json's HTML-safe escapes (\u003c for <...), so tests can
// look for what Slack will actually read.
func unescapeJSON(b []byte) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
}

// press sends a block_actions payload for a button with value, as Slack does when user
// presses it on a message whose response_url is responseURL ("" for a fresh one).
func (h *harness) press(user, actionID, value, responseURL string) {
	h.t.Helper()
	if responseURL == "" {
		responseURL = h.slack.ResponseURL()
	}
	h.interact("/slack/interactions", map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "team": map[string]any{"id": slackfake.TeamID},
		"trigger_id": h.slack.NewTriggerID(), "response_url": responseURL, "api_app_id": slackfake.AppID,
		"container": map[string]any{"type": "message", "is_ephemeral": true},
		"actions":   []any{map[string]any{"action_id": actionID, "block_id": "b" + actionID, "type": "button", "value": value}},
	})
}

// accessoryValue returns the value of the button beside section block i of a response.
func accessoryValue(t *testing.T, res commandResponse, i int) string {
	t.Helper()
	var section struct {
		Accessory struct {
			Value string `json:"value"`
		} `json:"accessory"`
	}
	if i >= len(res.Blocks) || json.Unmarshal(res.Blocks[i], &section) != nil {
		t.Fatalf("no block %d with a button in %s", i, res.Raw)
	}
	return section.Accessory.Value
}
