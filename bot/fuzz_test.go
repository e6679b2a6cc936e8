package bot_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/storage/storagetest"
)

// The fuzz targets below send what an attacker who holds the signing secret could send
// (or Slack, on a bad day): arbitrary slash-command text, interactivity payloads and
// Events API bodies, correctly signed, to the real handlers on real Postgres and Redis and
// the fake Slack. Whatever arrives, the bot answers 200 (with something to say, or an
// empty ack) or 400 for what does not parse, promptly, and never fails with a 5xx, a panic
// (net/http would drop the connection) or a Go error shown to the user.

// fuzzServer starts one bot for a whole fuzz run: the fuzz function runs many thousand
// times, and a database per input would measure the setup, not the handlers.
func fuzzServer(f *testing.F) *httptest.Server {
	f.Helper()
	fake := slackfake.NewTest(f)
	fake.AddUser(slack.User{ID: rep, Name: "wang", TZ: "Asia/Shanghai", Locale: "en-US"})
	state, _ := storagetest.NewRedis(f)
	b := bot.New(bot.Config{SigningSecret: signingSecret, DefaultLocale: followup.LocaleEN, DefaultTimezone: time.UTC},
		storagetest.NewDB(f), state, fake.Client())
	srv := httptest.NewServer(b.Handler())
	f.Cleanup(func() { srv.Close(); b.Wait() })
	return srv
}

// fuzzPost signs body as Slack would and checks the answer.
func fuzzPost(t *testing.T, srv *httptest.Server, path, contentType string, body []byte) {
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	slackfake.SignRequest(req.Header, signingSecret, time.Now(), body)
	start := time.Now()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("POST %s %q: no answer (%v): did the handler panic?", path, body, err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("POST %s %q took %s, past Slack's 3 s", path, body, elapsed)
	}
	switch resp.StatusCode {
	case http.StatusOK, http.StatusBadRequest:
	default:
		t.Fatalf("POST %s %q = %d %q, want 200 or 400", path, body, resp.StatusCode, out)
	}
	for _, leak := range []string{"goroutine ", "panic:", "runtime error", "pq: ", "sql: "} {
		if strings.Contains(string(out), leak) {
			t.Fatalf("POST %s %q answered with internals (%q): %s", path, body, leak, out)
		}
	}
}

// seedPayloads adds Slack's own sample payloads (testdata) as seeds of a fuzz target.
func seedPayloads(f *testing.F, prefixes ...string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "slack-payloads", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		for _, p := range prefixes {
			if strings.HasPrefix(filepath.Base(name), p) {
				raw, err := os.ReadFile(name)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(string(raw))
			}
		}
	}
}

func FuzzInteractionPayload(f *testing.F) {
	seedPayloads(f, "block_actions", "block_suggestion", "message_action", "view_submission")
	for _, s := range []string{
		`{"type":"view_submission","user":{"id":"` + rep + `"},"view":{"callback_id":"log_followup","private_metadata":"{\"c\":1}","state":{"values":{"summary":{"summary":{"type":"plain_text_input","value":"called"}}}}}}`,
		`{"type":"view_submission","user":{"id":"` + rep + `"},"view":{"callback_id":"new_customer","state":{"values":{"name":{"name":{"type":"plain_text_input","value":"<!channel>"}}}}}}`,
		`{"type":"block_actions","user":{"id":"` + rep + `"},"actions":[{"action_id":"reminder_done","value":"9999999"}],"container":{"type":"message"}}`,
		`{"type":"block_actions","user":{"id":"` + rep + `"},"actions":[{"action_id":"followup_undo","value":"-1"}]}`,
		`{"type":"block_suggestion","user":{"id":"` + rep + `"},"action_id":"customer","value":"%_\\"}`,
		`{"type":"shortcut","user":{"id":""}}`, `[]`, `null`, ``,
	} {
		f.Add(s)
	}
	srv := fuzzServer(f)
	f.Fuzz(func(t *testing.T, payload string) {
		if len(payload) > 16<<10 {
			t.Skip() // Slack's payloads are bounded; bigger ones only slow the fuzzer down
		}
		form := url.Values{"payload": {payload}}
		fuzzPost(t, srv, "/slack/interactions", "application/x-www-form-urlencoded", []byte(form.Encode()))
	})
}

func FuzzSlashCommandText(f *testing.F) {
	for _, s := range []string{
		"", "help", "new Acme", "log Acme: called Wang next: send the quote in 3 days", "log : :", "log 百川：电话沟通 下一步：3天内",
		"show %", "show \\", "due", "digest", "lang zh", "team", "log <!channel>: <@U123> next: <http://x|y>", "\x00\xff",
	} {
		f.Add(s)
	}
	srv := fuzzServer(f)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 4000 {
			t.Skip() // Slack cuts a slash command's text well before this
		}
		form := url.Values{
			"team_id": {slackfake.TeamID}, "channel_id": {"C0SALES001"}, "user_id": {rep}, "command": {"/followup"},
			"text": {text}, "response_url": {srv.URL + "/nowhere"}, "trigger_id": {"1.2.abc"},
		}
		fuzzPost(t, srv, "/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()))
	})
}

func FuzzEventBody(f *testing.F) {
	seedPayloads(f, "event_callback", "url_verification")
	dm, _ := json.Marshal(map[string]any{"type": "event_callback", "event_id": "Ev1", "event": map[string]any{
		"type": "message", "channel_type": "im", "channel": "D1", "user": rep, "text": "Called Acme; next: send the deck Friday", "ts": "1.2"}})
	f.Add(string(dm))
	f.Add(`{"type":"event_callback","event":{"type":"message","subtype":"file_share","channel_type":"im","user":"` + rep + `","files":[{}]}}`)
	srv := fuzzServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 16<<10 {
			t.Skip()
		}
		fuzzPost(t, srv, "/slack/events", "application/json", []byte(body))
	})
}
