package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }

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

func TestMigrateTwice(t *testing.T) {
	env := envOf(map[string]string{"DATABASE_URL": storagetest.NewDSN(t)})
	for i := 0; i < 2; i++ {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"migrate"}, env, &out); err != nil {
			t.Fatalf("migrate #%d: %v", i+1, err)
		}
	}
}

// TestServeStartsAnswersAndStops runs the real server against real Postgres and Redis and
// the fake Slack, checks it is ready, and stops it as SIGTERM would.
func TestServeStartsAnswersAndStops(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	fake := slackfake.NewTest(t)
	env := envOf(map[string]string{
		"DATABASE_URL": storagetest.NewDSN(t), "REDIS_URL": storagetest.NewRedisURL(t),
		"SLACK_BOT_TOKEN": fake.Token(), "SLACK_SIGNING_SECRET": "s3cr3t-signing-value", "SLACK_API_URL": fake.APIURL(),
		"HTTP_ADDR": addr,
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() { done <- run(ctx, []string{"serve"}, env, &syncWriter{w: &logs}) }()

	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server not ready: %v (logs: %s)", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
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
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(shutdownTimeout + 5*time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(logs.String(), "s3cr3t") {
		t.Errorf("logs contain the signing secret: %s", logs.String())
	}
}
