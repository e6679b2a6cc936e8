package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/internal/logtest"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

// shutdownSecret signs the load of TestSIGTERMDuringLoadLosesNothing.
const shutdownSecret = "shutdown-test-secret"

// TestSIGTERMDuringLoadLosesNothing runs the real binary, sends it quick logs from 8
// clients, sends SIGTERM in the middle, and checks it exits 0 and that every log it
// confirmed is in Postgres.
func TestSIGTERMDuringLoadLosesNothing(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "followup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ctx := context.Background()
	dsn := storagetest.NewDSN(t)
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const rep = "U0LOADREP1"
	if _, err := db.SavePerson(ctx, followup.Person{SlackID: rep, Name: "load", TZ: "UTC", Locale: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "Acme", Kind: followup.KindCompany, Industry: "x", Tier: followup.TierA, Source: "x", OwnerID: rep}); err != nil {
		t.Fatal(err)
	}
	fake := slackfake.NewTest(t)
	fake.AddUser(slack.User{ID: rep, Name: "load", TZ: "UTC"})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	const secret = shutdownSecret
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "REDIS_URL="+storagetest.NewRedisURL(t), "HTTP_ADDR="+addr,
		"SLACK_BOT_TOKEN="+fake.Token(), "SLACK_SIGNING_SECRET="+secret, "SLACK_API_URL="+fake.APIURL(), "SCHEDULER=off", "PII_KEY="+storagetest.PIIKey)
	cmd.Stdout, cmd.Stderr = logtest.Writer(nil), logtest.Writer(nil)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server not ready")
		}
	}

	var confirmed, sent atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	client := &http.Client{Timeout: 10 * time.Second}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				n := sent.Add(1)
				body := url.Values{"user_id": {rep}, "command": {"/followup"}, "channel_id": {"C0LOAD"},
					"text": {fmt.Sprintf("log Acme: load call %d next: call back tomorrow", n)}}.Encode()
				req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/slack/commands", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				slackfake.SignRequest(req.Header, secret, time.Now(), []byte(body))
				resp, err := client.Do(req)
				if err != nil {
					continue // refused or cut once shutdown began: not accepted, nothing promised
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK && strings.Contains(string(out), "Saved your follow-up") {
					confirmed.Add(1)
				}
			}
		}()
	}
	time.Sleep(time.Second)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("serve exited with %v after SIGTERM, want 0", err)
	}
	var stored int64
	if err := db.SQLX().Get(&stored, `SELECT count(*) FROM follow_ups WHERE summary LIKE 'load call %'`); err != nil {
		t.Fatal(err)
	}
	if confirmed.Load() == 0 {
		t.Fatal("no log was confirmed before the shutdown")
	}
	if stored < confirmed.Load() {
		t.Errorf("%d logs confirmed but only %d stored", confirmed.Load(), stored)
	}
	t.Logf("sent %d, confirmed %d, stored %d", sent.Load(), confirmed.Load(), stored)
}
