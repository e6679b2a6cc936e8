package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/followuphq/followup/bot/slackfake"
)

// benchSecret signs the load generator's requests; the bot verifies them as it would Slack's.
const benchSecret = "b3nchm4rks1gn1ngs3cr3t0000000000"

// benchPIIKey is the server's PII_KEY (serve requires one): 32 bytes, base64. The seeded
// customers carry no personal data, so no benchmark figure depends on it.
var benchPIIKey = base64.StdEncoding.EncodeToString([]byte("followup bench pii key, 32 bytes"))

// server is the real bot: the `followup serve` binary, built as `make build` builds it,
// in a process of its own with the environment a deployment gives it, talking to the
// fake Slack Web API of bot/slackfake (another child process) in place of Slack. Its
// memory and CPU are its own, apart from the load generator's. The scheduler is off
// (SCHEDULER=off, a web-only replica): the load test measures the Slack edge alone.
type server struct {
	URL       string
	DebugURL  string // where the bot serves pprof (DEBUG_ADDR)
	slack     *fakeSlack
	cmd       *exec.Cmd
	logs      atomic.Int64 // log lines the bot wrote
	logsDone  chan struct{}
	exitErr   chan error
	lastLines lastLines
}

// startServer starts the fake Slack, with the seeded people as its workspace's members,
// and then the bot binary at bin, and waits until the bot's /readyz answers 200. The
// seeded people are already in Postgres, so the bot never asks Slack's users.info about
// them; the scheduler's reminders open DMs with them. env adds to (or overrides) the bot's
// environment, as KEY=value.
func startServer(ctx context.Context, e *env, bin string, env ...string) (*server, error) {
	members, err := e.people(ctx)
	if err != nil {
		return nil, err
	}
	fake, err := startFakeSlack(ctx, members)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		fake.Close()
		return nil, err
	}
	debugAddr, err := freeAddr()
	if err != nil {
		fake.Close()
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+e.dbURL, "REDIS_URL="+e.redisURL,
		"SLACK_API_URL="+fake.APIURL, "SLACK_BOT_TOKEN="+fake.Token, "SLACK_SIGNING_SECRET="+benchSecret, "PII_KEY="+benchPIIKey,
		"HTTP_ADDR="+addr, "DEBUG_ADDR="+debugAddr, "SCHEDULER=off",
		// Each seeded rep sends dozens of commands a second here; the per-person limit
		// would measure itself, not the quick log.
		"COMMAND_RATE_LIMIT=0")
	cmd.Env = append(cmd.Env, env...) // of a key given twice, exec uses the last
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fake.Close()
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		fake.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{URL: "http://" + addr, DebugURL: "http://" + debugAddr, slack: fake, cmd: cmd,
		logsDone: make(chan struct{}), exitErr: make(chan error, 1)}
	go s.countLogs(stdout)
	go func() { s.exitErr <- cmd.Wait() }()
	if err := s.waitReady(ctx); err != nil {
		s.kill()
		return nil, err
	}
	return s, nil
}

// freeAddr returns a loopback address with a port nobody listens on right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func (s *server) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.exitErr:
			<-s.logsDone
			return fmt.Errorf("the bot exited before it was ready (%v):\n%s", err, s.lastLines.String())
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if resp, err := http.Get(s.URL + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the bot was not ready within a minute:\n%s", s.lastLines.String())
}

// countLogs counts the bot's log lines, keeping the last few for error messages.
func (s *server) countLogs(r io.Reader) {
	defer close(s.logsDone)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		s.logs.Add(1)
		s.lastLines.add(sc.Text())
	}
}

// RSS is the bot process's resident set size in MB, read from /proc (Linux only; 0
// elsewhere).
func (s *server) RSS() float64 { return rssMB(s.cmd.Process.Pid) }

// Profile records a CPU profile of the bot for d, through its pprof endpoint, into path.
func (s *server) Profile(ctx context.Context, d time.Duration, path string) error {
	u := s.DebugURL + "/debug/pprof/profile?seconds=" + strconv.Itoa(max(1, int(d/time.Second)))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cpu profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("cpu profile: %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Stop ends the bot as a deployment does, with SIGTERM: it stops taking requests, finishes
// what it acknowledged (post-ack work such as App Home refreshes) and exits 0. Then the
// fake Slack goes.
func (s *server) Stop() error {
	defer s.slack.Close()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.exitErr:
		<-s.logsDone
		if err != nil {
			return fmt.Errorf("the bot exited with %v after SIGTERM:\n%s", err, s.lastLines.String())
		}
		return nil
	case <-time.After(40 * time.Second):
		s.cmd.Process.Kill()
		return errors.New("the bot did not stop within 40 s of SIGTERM")
	}
}

func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.exitErr
	s.slack.Close()
}

// lastLines keeps the last lines of output, for saying why the bot failed.
type lastLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *lastLines) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	if len(l.lines) > 20 {
		l.lines = l.lines[len(l.lines)-20:]
	}
}

func (l *lastLines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// slashCommand returns the form body Slack posts for `/followup text` by user.
func slashCommand(user, text, responseURL, triggerID string) []byte {
	return []byte(formEncode(
		"token", "legacy", "team_id", slackfake.TeamID, "team_domain", "acme",
		"channel_id", "C0SALES001", "channel_name", "sales", "user_id", user, "user_name", user,
		"command", "/followup", "text", text, "api_app_id", slackfake.AppID,
		"response_url", responseURL, "trigger_id", triggerID,
	))
}

// blockSuggestion returns the form body Slack posts when a rep types query into the log
// modal's customer typeahead.
func blockSuggestion(user, query string) []byte {
	payload := fmt.Sprintf(`{"type":"block_suggestion","user":{"id":%q,"team_id":%q},"team":{"id":%q},`+
		`"api_app_id":%q,"action_id":"customer","block_id":"customer","value":%q,`+
		`"view":{"id":"V0BENCH001","type":"modal","callback_id":"log_followup"}}`,
		user, slackfake.TeamID, slackfake.TeamID, slackfake.AppID, query)
	return []byte(formEncode("payload", payload))
}

func formEncode(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}
