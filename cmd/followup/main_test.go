package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/internal/logtest"
	"github.com/followuphq/followup/pii"
	"github.com/followuphq/followup/sandbox"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// TestMain fails the run when anything `followup serve` logged during it holds personal
// data, a token or a secret: its output goes through logtest.Writer.
func TestMain(m *testing.M) {
	os.Exit(logtest.Main(m, storagetest.Main, "s3cr3t-signing-value", shutdownSecret, storagetest.PIIKey, b64(oldKey), b64(newKey)))
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestRunVersionAndUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, envOf(nil), &out); err != nil || !strings.HasPrefix(out.String(), "followup ") {
		t.Errorf("version: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, envOf(nil), &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("unknown command: %v, want usage", err)
	}
}

func TestServeNamesMissingConfiguration(t *testing.T) {
	err := run(context.Background(), []string{"serve"}, envOf(nil), &bytes.Buffer{})
	for _, name := range []string{"DATABASE_URL", "REDIS_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("serve without config = %v, want it to name %s", err, name)
		}
	}
	if err != nil && strings.Contains(err.Error(), "\n") {
		t.Errorf("config error spans lines: %q", err)
	}
}

func TestSandboxOnlyWithoutSlackCredentials(t *testing.T) {
	env := envOf(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cr3t-signing-value"})
	err := run(context.Background(), []string{"serve", "--sandbox"}, env, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("serve --sandbox with credentials = %v, want it refused", err)
	}
	// One credential alone is a mistake, not a wish for the sandbox: the other is named.
	err = run(context.Background(), []string{"serve"}, envOf(map[string]string{"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "SLACK_SIGNING_SECRET") {
		t.Errorf("serve with only a bot token = %v, want SLACK_SIGNING_SECRET named", err)
	}
	// Against a real workspace, personal data needs a real key: the sandbox's is public.
	if err == nil || !strings.Contains(err.Error(), "PII_KEY is required") {
		t.Errorf("serve with credentials and no PII_KEY = %v, want PII_KEY named", err)
	}
}

func TestMigrateTwice(t *testing.T) {
	env := envOf(map[string]string{"DATABASE_URL": storagetest.NewDSN(t)})
	for i := 0; i < 2; i++ {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"migrate"}, env, &out); err != nil {
			t.Fatalf("migrate #%d: %v", i+1, err)
		}
	}
}

// served is a `followup serve` running in the test, stopped as SIGTERM would stop it.
type served struct {
	addr string
	logs *syncWriter
	stop func() error
}

// serveUntilReady runs `followup serve` with vars (HTTP_ADDR is picked here) and waits
// until /readyz answers 200.
func serveUntilReady(t *testing.T, vars map[string]string) *served {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars["HTTP_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var buf bytes.Buffer
	logs := &syncWriter{w: &buf}
	out := logtest.Writer(logs) // every line serve logs is checked for leaks
	go func() { done <- run(ctx, []string{"serve"}, envOf(vars), out) }()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(shutdownTimeout + 5*time.Second):
			return errors.New("serve did not stop")
		}
	}
	t.Cleanup(func() { stop() })

	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return &served{addr: addr, logs: logs, stop: stop}
			}
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("server not ready: %v (logs: %s)", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeStartsAnswersAndStops runs the real server against real Postgres and Redis and
// the fake Slack, checks it is ready, and stops it as SIGTERM would.
func TestServeStartsAnswersAndStops(t *testing.T) {
	fake := slackfake.NewTest(t)
	s := serveUntilReady(t, map[string]string{
		"DATABASE_URL": storagetest.NewDSN(t), "REDIS_URL": storagetest.NewRedisURL(t),
		"SLACK_BOT_TOKEN": fake.Token(), "SLACK_SIGNING_SECRET": "s3cr3t-signing-value", "SLACK_API_URL": fake.APIURL(),
		"PII_KEY": storagetest.PIIKey,
	})
	addr := s.addr
	// A request Slack would reject (unsigned) is still counted, by endpoint and status.
	if resp, err := http.Post("http://"+addr+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader("text=help")); err == nil {
		resp.Body.Close()
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`followup_slack_requests_total{endpoint="commands",status="401"} 1`, "followup_slack_ack_seconds_bucket", "followup_reminders_pending 0", "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if err := s.stop(); err != nil {
		t.Errorf("serve returned %v after shutdown", err)
	}
	if strings.Contains(s.logs.String(), "s3cr3t") {
		t.Errorf("logs contain the signing secret: %s", s.logs.String())
	}
	if !strings.Contains(s.logs.String(), `"sandbox":false`) {
		t.Errorf("serve with credentials did not say it runs without the sandbox: %s", s.logs.String())
	}
}

// TestServeWithoutSlackRunsTheSandbox is `make run` on a fresh machine: no Slack
// credentials, so serve starts the sandbox, loads the demo data, and the scheduler's first
// rounds bring the demo rep a reminder of an overdue next step.
func TestServeWithoutSlackRunsTheSandbox(t *testing.T) {
	dsn := storagetest.NewDSN(t)
	s := serveUntilReady(t, map[string]string{
		"DATABASE_URL": dsn, "REDIS_URL": storagetest.NewRedisURL(t),
		"REMINDER_CRON": "@every 1s",
	})
	resp, err := http.Get("http://" + s.addr + "/sandbox")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), sandbox.Marker) {
		t.Fatalf("GET /sandbox = %d, want the page marked %q", resp.StatusCode, sandbox.Marker)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + s.addr + "/sandbox/api/state?user=" + sandbox.RepID)
		if err != nil {
			t.Fatal(err)
		}
		var st sandbox.State
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(st.Messages, func(m sandbox.DM) bool { return m.From == "bot" && strings.Contains(m.Text, "Acme Trading Co") }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reminder reached the demo rep; DMs %+v; logs: %s", st.Messages, s.logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := s.stop(); err != nil {
		t.Errorf("serve returned %v after shutdown", err)
	}
	if !strings.Contains(s.logs.String(), "/sandbox") || !strings.Contains(s.logs.String(), "demo data loaded") {
		t.Errorf("serve did not say where the sandbox is or that demo data was loaded: %s", s.logs.String())
	}
	// No PII_KEY: the demo's phone numbers are sealed with the sandbox's own key, and the
	// log says that key is no place for real data.
	if !strings.Contains(s.logs.String(), "PII_KEY is not set") {
		t.Errorf("serve did not warn that the sandbox seals with its public key: %s", s.logs.String())
	}
	ring, err := pii.NewKeyring(sandbox.PIIKey())
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(context.Background(), dsn, storage.WithKeyring(ring))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st, err := db.PersonalDataStatus(context.Background()); err != nil || st.ByKey[ring.CurrentKeyID()] == 0 || len(st.ByKey) != 1 || st.Plaintext != 0 {
		t.Errorf("personal data after the demo = %+v, %v, want it all under the sandbox key", st, err)
	}
	storagetest.AssertNoPlaintext(t, db, "13800005678", "13900001111", "13700002222", "13600003333", "13500004444")
}
