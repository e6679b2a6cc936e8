package bot_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/storage"
)

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "slack-payloads", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUnsignedRequestsAreRejectedAndChangeNothing(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	body := []byte(url.Values{"user_id": {rep}, "command": {"/followup"}, "text": {"log Acme: called next: call again tomorrow"}}.Encode())
	now := h.clock.Now()
	unix := func(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
	stale, future := now.Add(-6*time.Minute), now.Add(6*time.Minute)
	cases := map[string]http.Header{
		"missing":      {},
		"wrong secret": {"X-Slack-Request-Timestamp": {unix(now)}, "X-Slack-Signature": {slackfake.Sign("not-the-secret", now.Unix(), body)}},
		"stale":        {"X-Slack-Request-Timestamp": {unix(stale)}, "X-Slack-Signature": {slackfake.Sign(signingSecret, stale.Unix(), body)}},
		"future":       {"X-Slack-Request-Timestamp": {unix(future)}, "X-Slack-Signature": {slackfake.Sign(signingSecret, future.Unix(), body)}},
		"garbage":      {"X-Slack-Request-Timestamp": {unix(now)}, "X-Slack-Signature": {"v0=zz"}},
		"other body":   {"X-Slack-Request-Timestamp": {unix(now)}, "X-Slack-Signature": {slackfake.Sign(signingSecret, now.Unix(), []byte("text=due"))}},
	}
	for name, header := range cases {
		for _, path := range []string{"/slack/commands", "/slack/interactions", "/slack/options", "/slack/events"} {
			if status, _ := h.post(path, "application/x-www-form-urlencoded", body, header); status != http.StatusUnauthorized {
				t.Errorf("%s %s: status = %d, want 401", name, path, status)
			}
		}
	}
	if got := h.count(`SELECT count(*) FROM follow_ups`); got != 0 {
		t.Errorf("follow_ups = %d after unsigned requests, want 0", got)
	}
}

func TestPostgresDownTheRepIsToldItFailed(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	id := h.customerID("Acme Trading Co")
	h.command(rep, "")
	h.pg.Cut()

	status, res := h.submit(rep, "log_followup", map[string]any{
		"customer": external(id), "method": pick("phone"), "summary": text("Agreed on the delivery date"),
	})
	errs, _ := res["errors"].(map[string]any)
	if status != http.StatusOK || res["response_action"] != "errors" || !strings.Contains(mustJSON(t, errs), "Not saved") {
		t.Fatalf("submission with Postgres down = %d %v, want the modal kept open with 'Not saved'", status, res)
	}
	before := len(h.slack.AllResponses())
	_, ql := h.command(rep, "log Acme: agreed on the delivery date next: call tomorrow")
	if strings.Contains(ql.Text, "Saved") || ql.Text == "" {
		t.Errorf("quick log with Postgres down answered %q, want a failure", ql.Text)
	}
	if got := len(h.slack.AllResponses()); got != before {
		t.Errorf("a confirmation was sent while Postgres was down")
	}
	resp, err := http.Get(h.server.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d with Postgres down, want 503", resp.StatusCode)
	}

	h.pg.Restore()
	status, res = h.submit(rep, "log_followup", map[string]any{
		"customer": external(id), "method": pick("phone"), "summary": text("Agreed on the delivery date"),
	})
	if status != http.StatusOK || res != nil {
		t.Fatalf("after Postgres returned: %d %v", status, res)
	}
	if got := h.count(`SELECT count(*) FROM follow_ups`); got != 1 {
		t.Errorf("follow_ups = %d, want exactly the one saved after recovery", got)
	}
}

func TestRedisDownModalLoggingStillWorks(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "Acme Trading Co", "13800005678")
	h.newCustomer(rep, "Acme Logistics", "13900001111")
	// A Redis that is not there: nothing listens on the port.
	dead := storage.NewRedis(redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond}), "x:")
	h.start(dead)

	h.command(rep, "")
	status, res := h.submit(rep, "log_followup", map[string]any{
		"customer": external(h.customerID("Acme Logistics")), "method": pick("email"), "summary": text("Sent the contract draft"),
	})
	if status != http.StatusOK || res != nil || h.count(`SELECT count(*) FROM follow_ups`) != 1 {
		t.Fatalf("modal log without Redis = %d %v", status, res)
	}
	_, ql := h.command(rep, "log acme: discussed the renewal")
	if !strings.Contains(ql.Text, "/followup") || strings.Contains(ql.Text, "Saved") {
		t.Errorf("ambiguous quick log without Redis = %q, want the form suggested", ql.Text)
	}
	resp, _ := http.Get(h.server.URL + "/readyz")
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d with Redis down, want 503", resp.StatusCode)
	}
}

func TestEventRetryIsProcessedOnce(t *testing.T) {
	h := newHarness(t)
	raw := readSample(t, "event_callback.app_home_opened.home-tab.real.json")
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	ev["event"].(map[string]any)["user"] = rep
	body := []byte(mustJSON(t, ev))
	h.post("/slack/events", "application/json", body, nil)
	retry := http.Header{"X-Slack-Retry-Num": {"1"}, "X-Slack-Retry-Reason": {"http_timeout"}}
	slackfake.SignRequest(retry, signingSecret, h.clock.Now(), body)
	if status, _ := h.post("/slack/events", "application/json", body, retry); status != http.StatusOK {
		t.Fatalf("retry = %d, want 200", status)
	}
	if got := len(h.slack.CallsTo("views.publish")); got != 1 {
		t.Errorf("views.publish calls = %d, want 1", got)
	}
	if _, ok := h.slack.HomeView(rep); !ok {
		t.Errorf("no Home tab published for the rep")
	}
}

func TestURLVerificationAndRealSamples(t *testing.T) {
	h := newHarness(t)
	status, body := h.post("/slack/events", "application/json", readSample(t, "url_verification.bolt-python.json"), nil)
	if status != http.StatusOK || string(body) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("url_verification = %d %q", status, body)
	}
	// Slack's own slash-command samples: other commands' text gets a helpful 200; the one
	// with no text opens the log form on its (redacted) trigger id.
	for _, name := range []string{"slash_command.weather-doc-example.form.txt", "slash_command.bolt-python.form.txt"} {
		status, body := h.post("/slack/commands", "application/x-www-form-urlencoded", readSample(t, name), nil)
		if status != http.StatusOK || !strings.Contains(string(body), "/followup") {
			t.Errorf("%s = %d %s", name, status, body)
		}
	}
	h.slack.AllowTrigger("111.222.xxx")
	if status, body := h.post("/slack/commands", "application/x-www-form-urlencoded", readSample(t, "slash_command.modified-real.form.txt"), nil); status != http.StatusOK || len(body) != 0 {
		t.Errorf("empty /followup sample = %d %s, want the form opened", status, body)
	}
	if _, ok := h.slack.LastView("log_followup"); !ok {
		t.Errorf("the empty-text sample did not open the log form")
	}
	// Real interaction payloads decode and are acknowledged.
	for _, name := range []string{"block_actions.app-home.real.json", "block_actions.message-button.json", "view_submission.static_select-datepicker-multiline.json", "message_action.doc-example.json"} {
		form := url.Values{"payload": {string(readSample(t, name))}}
		if status, body := h.post("/slack/interactions", "application/x-www-form-urlencoded", []byte(form.Encode()), nil); status != http.StatusOK {
			t.Errorf("%s = %d %s", name, status, body)
		}
	}
	form := url.Values{"payload": {string(readSample(t, "block_suggestion.modal.json"))}}
	if status, body := h.post("/slack/options", "application/x-www-form-urlencoded", []byte(form.Encode()), nil); status != http.StatusOK || !strings.Contains(string(body), `"options"`) {
		t.Errorf("block_suggestion sample = %d %s", status, body)
	}
}

func TestCustomerNamedLikeAMentionPingsNobody(t *testing.T) {
	h := newHarness(t)
	h.newCustomer(rep, "<!channel> & <@U0BOSS>", "13800005678")
	_, card := h.command(rep, "show channel")
	for _, s := range mrkdwnTexts(t, []byte(card.Raw)) {
		if strings.Contains(s, "<!channel>") || strings.Contains(s, "<@U0BOSS>") {
			t.Errorf("card has a live mention in mrkdwn %q", s)
		}
	}
	if !strings.Contains(card.Raw, "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;") {
		t.Errorf("card does not show the escaped name: %s", card.Raw)
	}
	for _, r := range h.slack.AllResponses() {
		if strings.Contains(r.Text, "<!channel>") {
			t.Errorf("confirmation has a live mention: %q", r.Text)
		}
	}
	if got := h.count(`SELECT count(*) FROM customers WHERE name = '<!channel> & <@U0BOSS>'`); got != 1 {
		t.Errorf("the name was not stored verbatim")
	}
}

func TestHealthEndpoints(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(h.server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s = %d, want 200", path, resp.StatusCode)
		}
	}
}

// mrkdwnTexts returns every string Slack parses for mentions in a message: its top-level
// text and each mrkdwn text object (plain_text is shown literally and never pings).
func mrkdwnTexts(t *testing.T, raw []byte) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(v any, top bool)
	walk = func(v any, top bool) {
		switch x := v.(type) {
		case map[string]any:
			if s, ok := x["text"].(string); ok && (top || x["type"] == "mrkdwn") {
				out = append(out, s)
			}
			for _, c := range x {
				walk(c, false)
			}
		case []any:
			for _, c := range x {
				walk(c, false)
			}
		}
	}
	walk(v, true)
	return out
}
