package logtest

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func reset() {
	state.mu.Lock()
	defer state.mu.Unlock()
	state.forbidden, state.writers, state.lines, state.leaks = nil, nil, 0, nil
}

func TestCheck(t *testing.T) {
	reset()
	Forbid("8f742231b10e8888abcd99yyyzzz85a5", "s")
	for line, want := range map[string]string{
		`level=INFO msg="customer added" customer=12`:                          "",
		`level=INFO msg=config slack_bot_token=xoxb-**** pii_key=true`:         "",
		`level=INFO msg="sent" ts=1763431200.000100 took=13.5s`:                "",
		`level=ERROR msg="call failed" token=xoxb-123-456-abcdef`:              "a Slack token",
		`level=ERROR msg="socket" token=xapp-1-A0-abc`:                         "a Slack token",
		`level=WARN msg="bad request" secret=8f742231b10e8888abcd99yyyzzz85a5`: "contains 8f742231",
		`level=INFO msg="dm" text="call me at 138 0000 5678"`:                  "matches 138 0000 5678",
		`level=INFO msg="dm" text="+86-13800005678"`:                           "matches +86-13800005678",
		`level=INFO msg=x id=11010519491231002X`:                               "matches 11010519491231002X",
		`level=INFO msg=x code=91310000MA1FL8XQ37`:                             "matches 91310000MA1FL8XQ37",
		`level=INFO msg=x s=ss`:                                                "", // "s" is too short to forbid
	} {
		if got := Check([]byte(line)); want == "" && got != "" || want != "" && !strings.HasPrefix(got, want) {
			t.Errorf("Check(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestWriterChecksWholeLines(t *testing.T) {
	reset()
	var out bytes.Buffer
	w := Writer(&out)
	log := slog.New(slog.NewJSONHandler(w, nil))
	log.Info("fine", "customer", 7)
	// A line that reaches the writer in pieces, as a child process's stdout does.
	w.Write([]byte(`{"msg":"phone 1380000`))
	w.Write([]byte("5678\"}\n"))
	w.Write([]byte("no newline at the end: xoxb-99-abc"))
	leaks, lines := Leaks()
	if lines != 3 || len(leaks) != 2 || !strings.Contains(leaks[0], "13800005678") || !strings.Contains(leaks[1], "Slack token") {
		t.Errorf("leaks = %q after %d lines, want the split phone and the unterminated token", leaks, lines)
	}
	if !strings.Contains(out.String(), `"msg":"fine"`) {
		t.Errorf("the writer did not pass the lines on: %q", out.String())
	}
}
