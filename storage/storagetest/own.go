package storagetest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/followuphq/followup/storage"
)

// Servers are a Postgres and a Redis of one test's own, for fault tests that restart
// or stop them: the shared servers of Main serve every other test running in parallel.
type Servers struct {
	// DSN is the Postgres database, migrated; RedisURL the Redis.
	DSN, RedisURL string

	t      testing.TB
	script string
	dir    string
}

// NewServers starts throw-away Postgres and Redis servers for t (with scripts/services.sh,
// about a second) and stops them when t ends.
func NewServers(t testing.TB) *Servers {
	t.Helper()
	script, err := servicesScript()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "followup-own-")
	if err != nil {
		t.Fatal(err)
	}
	s := &Servers{t: t, script: script, dir: dir}
	t.Cleanup(func() {
		s.run("stop", dir)
		os.RemoveAll(dir)
	})
	out := s.run("start", dir, strconv.Itoa(os.Getpid()))
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		name, value, _ := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		switch value = strings.Trim(value, "'"); name {
		case "DATABASE_URL":
			s.DSN = value
		case "REDIS_URL":
			s.RedisURL = value
		}
	}
	if s.DSN == "" || s.RedisURL == "" {
		t.Fatalf("scripts/services.sh start printed no DATABASE_URL or REDIS_URL:\n%s", out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	db, err := storage.Open(ctx, s.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// RestartPostgres restarts the Postgres as an operator would: every session is cut and
// open transactions roll back; it answers again on the same port once it is back.
func (s *Servers) RestartPostgres() { s.run("pg-restart", s.dir) }

func (s *Servers) run(args ...string) []byte {
	s.t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("bash", append([]string{s.script}, args...)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		s.t.Fatal(fmt.Errorf("scripts/services.sh %s: %w\n%s", args[0], err, stderr.Bytes()))
	}
	return out
}
