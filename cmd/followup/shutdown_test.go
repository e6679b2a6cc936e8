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
	bin := buildFollowup(t)
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
	const secret = shutdownSecret
	p := startFollowup(t, bin, "DATABASE_URL="+dsn, "REDIS_URL="+storagetest.NewRedisURL(t),
		"SLACK_BOT_TOKEN="+fake.Token(), "SLACK_SIGNING_SECRET="+secret, "SLACK_API_URL="+fake.APIURL(), "SCHEDULER=off",
		"COMMAND_RATE_LIMIT=0") // one rep sends the whole load

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
				req, _ := http.NewRequest(http.MethodPost, "http://"+p.addr+"/slack/commands", strings.NewReader(body))
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
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = p.wait(t, shutdownTimeout+5*time.Second)
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

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildFollowup builds the followup binary once per test run, as make build does.
func buildFollowup(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "followup-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "followup")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// process is a running `followup serve`.
type process struct {
	cmd  *exec.Cmd
	addr string
	done chan struct{} // closed when it exited; err is then its exit error
	err  error
}

// wait returns the exit error once the process ended, or fails the test after timeout.
func (p *process) wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		t.Fatalf("serve did not exit within %s", timeout)
		return nil
	}
}

// startFollowup runs `bin serve` with env added to this process's environment and a
// free HTTP_ADDR, waits until /readyz answers 200, and kills it when the test ends if it
// still runs.
func startFollowup(t *testing.T, bin string, env ...string) *process {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &process{addr: ln.Addr().String(), done: make(chan struct{})}
	ln.Close()
	p.cmd = exec.Command(bin, "serve")
	// The key serve needs beside Slack credentials, unless env gives another (the last wins).
	p.cmd.Env = append(append(os.Environ(), "PII_KEY="+storagetest.PIIKey), append(env, "HTTP_ADDR="+p.addr)...)
	p.cmd.Stdout, p.cmd.Stderr = logtest.Writer(nil), logtest.Writer(nil) // every line it logs is checked for leaks
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + p.addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited before it was ready: %v", p.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server not ready")
		}
	}
}
