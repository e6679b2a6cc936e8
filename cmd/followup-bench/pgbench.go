package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"time"
)

// pgbenchScript is the reference workload: one single-row INSERT per transaction, in
// autocommit, through pgbench's default (simple) query protocol.
const pgbenchScript = `\set v random(1, 1000000)
INSERT INTO bench_pgbench (v) VALUES (:v);
`

var tpsRE = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// findPgbench looks where scripts/services.sh looks for initdb: $PG_BINDIR, the newest
// Debian-style versioned bin directory, then PATH.
func findPgbench() (string, error) {
	var dirs []string
	if d := os.Getenv("PG_BINDIR"); d != "" {
		dirs = append(dirs, d)
	}
	versioned, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versioned, func(a, b string) int { return pgVersion(b) - pgVersion(a) })
	dirs = append(dirs, versioned...)
	for _, d := range dirs {
		if p := filepath.Join(d, "pgbench"); isExecutable(p) {
			return p, nil
		}
	}
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p, nil
	}
	return "", errors.New("pgbench not found (it ships with the postgresql package; set PG_BINDIR)")
}

func pgVersion(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// runPgbench measures the reference: raw single-row INSERT TPS at each client count, on the
// same server and for the same duration as the load test.
func runPgbench(ctx context.Context, e *env, o options, r *report, stdout io.Writer) error {
	bin, err := findPgbench()
	if err != nil {
		return err
	}
	db, err := sql.Open("postgres", e.dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_pgbench (
		id bigserial PRIMARY KEY, v integer NOT NULL, at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("pgbench table: %w", err)
	}
	defer db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS bench_pgbench")
	dir, err := os.MkdirTemp("", "followup-pgbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "insert.sql")
	if err := os.WriteFile(script, []byte(pgbenchScript), 0o644); err != nil {
		return err
	}
	secs := max(1, int(o.Duration.Round(time.Second)/time.Second))
	r.pgbench = map[int]float64{}
	fmt.Fprintf(stdout, "pgbench: single-row INSERT, %d s per client count\n", secs)
	for _, c := range o.PgbenchClients {
		if _, err := db.ExecContext(ctx, "TRUNCATE bench_pgbench"); err != nil {
			return err
		}
		threads := min(c, runtime.NumCPU())
		cmd := exec.CommandContext(ctx, bin, "-n", "-c", strconv.Itoa(c), "-j", strconv.Itoa(threads),
			"-T", strconv.Itoa(secs), "-f", script, e.dbURL)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("pgbench -c %d: %w\n%s", c, err, out)
		}
		m := tpsRE.FindSubmatch(out)
		if m == nil {
			return fmt.Errorf("pgbench -c %d: no tps in its output:\n%s", c, out)
		}
		tps, _ := strconv.ParseFloat(string(m[1]), 64)
		r.pgbench[c] = tps
		fmt.Fprintf(stdout, "  %2d clients: %8.0f TPS\n", c, tps)
		r.add(fmt.Sprintf("pgbench single-row INSERT, %d clients", c), fmt.Sprintf("%.0f TPS", tps),
			"reference (≈19,000 at 8, 25,000 at 32)", "reference")
	}
	return nil
}
