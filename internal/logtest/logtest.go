// Package logtest checks everything a test binary logs and fails the run when a log line
// holds a phone number, an ID number or credit code, a Slack token or one of the secrets the
// tests use: the acceptance that logs captured during the whole test suite contain none.
//
// A package whose code logs starts its tests with
//
//	func TestMain(m *testing.M) { os.Exit(logtest.Main(m, storagetest.Main, "the signing secret")) }
//
// Main routes slog's default logger (and with it the log package) through the check; logs a
// test sends elsewhere (a `followup serve` run's stdout) go through Writer; secrets known
// only at run time (a sandbox's random signing secret) are added with Forbid.
package logtest

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"sync"
	"testing"

	"github.com/followuphq/followup/internal/piitest"
)

// tokenPattern is a Slack token: a bot, user, refresh or app-level one, with at least one
// character of the token itself (a masked "xoxb-****" is no token).
var tokenPattern = regexp.MustCompile(`\b(?:xox[abeoprs]|xapp)-[0-9A-Za-z]`)

var state struct {
	mu        sync.Mutex
	forbidden []string
	writers   []*lineWriter
	lines     int
	leaks     []string
}

// Forbid adds secrets that no log line may hold. Values under 6 characters are ignored:
// they would match everywhere and protect nothing.
func Forbid(secrets ...string) {
	state.mu.Lock()
	defer state.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= 6 {
			state.forbidden = append(state.forbidden, s)
		}
	}
}

// Check says what a log line leaks, "" for nothing.
func Check(line []byte) string {
	state.mu.Lock()
	forbidden := append([]string(nil), state.forbidden...)
	state.mu.Unlock()
	if m := tokenPattern.Find(line); m != nil {
		return "a Slack token (" + string(m) + "…)"
	}
	return piitest.Find(line, forbidden)
}

// Writer returns a writer that checks every line written to it and passes it on to next
// (nil: nowhere). It is safe for concurrent use; a line split over several writes is
// checked whole.
func Writer(next io.Writer) io.Writer {
	w := &lineWriter{next: next}
	state.mu.Lock()
	state.writers = append(state.writers, w)
	state.mu.Unlock()
	return w
}

type lineWriter struct {
	mu      sync.Mutex
	next    io.Writer
	partial []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		check(w.partial[:i])
		w.partial = w.partial[i+1:]
	}
	if w.next != nil {
		return w.next.Write(p)
	}
	return len(p), nil
}

// flush checks what was written after the last newline.
func (w *lineWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		check(w.partial)
		w.partial = nil
	}
}

func check(line []byte) {
	what := Check(line)
	state.mu.Lock()
	defer state.mu.Unlock()
	state.lines++
	if what != "" {
		if len(line) > 300 {
			line = line[:300]
		}
		state.leaks = append(state.leaks, what+" in: "+string(line))
	}
}

// Leaks returns what the lines checked so far leaked, and how many lines were checked.
func Leaks() (leaks []string, lines int) {
	state.mu.Lock()
	writers := append([]*lineWriter(nil), state.writers...)
	state.mu.Unlock()
	for _, w := range writers {
		w.flush()
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	return append([]string(nil), state.leaks...), state.lines
}

// Main runs the tests through run (storagetest.Main, or func(m *testing.M) int { return
// m.Run() }) with slog's default logger writing, at every level, through the check to
// stderr, and forbids secrets. It returns run's exit code, or 1 when any log line leaked.
func Main(m *testing.M, run func(*testing.M) int, secrets ...string) int {
	Forbid(secrets...)
	slog.SetDefault(slog.New(slog.NewTextHandler(Writer(os.Stderr), &slog.HandlerOptions{Level: slog.LevelDebug})))
	code := run(m)
	leaks, lines := Leaks()
	for _, l := range leaks {
		fmt.Fprintln(os.Stderr, "logtest: a log line leaks", l)
	}
	if len(leaks) > 0 {
		fmt.Fprintf(os.Stderr, "logtest: FAIL: %d of %d log lines hold personal data or a secret\n", len(leaks), lines)
		return 1
	}
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "logtest: %d log lines checked: no personal data, token or secret\n", lines)
	}
	return code
}
