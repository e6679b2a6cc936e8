package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/lib/pq"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/storage"
)

// runs is how many times each timed query runs; the median is reported.
const runs = 7

// dueScans are the scheduler's two scans of pending rows, as the enqueue and claim
// statements run them (storage/reminder.go), each with the seeded history beside it.
var dueScans = []struct {
	name, sql string
	partial   []string // the partial indexes on pending rows it may use
}{
	{"due scan: pending next actions", `
SELECT a.id FROM next_actions a
WHERE a.status IN ('open', 'snoozed') AND a.due_at <= %[1]s AND a.due_at > %[2]s`,
		[]string{"next_actions_pending_due_idx", "next_actions_pending_owner_idx"}},
	{"due scan: pending reminders", `
SELECT id FROM reminders
WHERE status = 'pending' AND send_after <= %[1]s
ORDER BY send_after, id
LIMIT 500`, []string{"reminders_pending_idx"}},
}

func runSched(ctx context.Context, e *env, o options, r *report, stdout io.Writer) error {
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := dueScan(ctx, db, r, stdout); err != nil {
		return err
	}
	if err := claimEnqueue(ctx, db, r, stdout); err != nil {
		return err
	}
	return digest(ctx, db, r, stdout)
}

// dueScan reports the server-side execution time (EXPLAIN ANALYZE) of each due scan.
func dueScan(ctx context.Context, db *storage.DB, r *report, stdout io.Writer) error {
	now := time.Now()
	lit := func(t time.Time) string { return pq.QuoteLiteral(t.UTC().Format(time.RFC3339Nano)) + "::timestamptz" }
	var history int
	if err := db.SQLX().GetContext(ctx, &history, "SELECT count(*) FROM reminders WHERE status <> 'pending'"); err != nil {
		return err
	}
	for _, s := range dueScans {
		q := "EXPLAIN (ANALYZE, FORMAT JSON) " + fmt.Sprintf(s.sql, lit(now), lit(now.Add(-7*24*time.Hour)))
		var times []time.Duration
		var index string
		for range runs {
			var raw []byte
			if err := db.SQLX().GetContext(ctx, &raw, q); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			var plan []struct {
				Plan          map[string]any `json:"Plan"`
				ExecutionTime float64        `json:"Execution Time"`
			}
			if err := json.Unmarshal(raw, &plan); err != nil || len(plan) == 0 {
				return fmt.Errorf("%s: unreadable plan: %v", s.name, err)
			}
			times = append(times, time.Duration(plan[0].ExecutionTime*float64(time.Millisecond)))
			index = indexName(plan[0].Plan)
		}
		m := median(times)
		fmt.Fprintf(stdout, "sched: %s: %s (median of %d, %s)\n", s.name, ms(m), runs, index)
		r.check(fmt.Sprintf("%s (%s rows of history; %s)", s.name, thousands(history), index), ms(m), "< 1 ms", m < time.Millisecond)

		without, plan, err := withoutIndexes(ctx, db, q, s.partial)
		if err != nil {
			return fmt.Errorf("%s without its partial indexes: %w", s.name, err)
		}
		fmt.Fprintf(stdout, "sched: %s without the partial indexes: %s (%s)\n", s.name, ms(without), plan)
		r.add(fmt.Sprintf("  the same without its partial indexes (%s)", plan), ms(without), "—", "what they save")
	}
	return nil
}

// withoutIndexes runs the EXPLAIN ANALYZE query q once with the indexes dropped, in a
// transaction that is rolled back, and returns its execution time and the first index its
// plan uses.
func withoutIndexes(ctx context.Context, db *storage.DB, q string, indexes []string) (time.Duration, string, error) {
	tx, err := db.SQLX().BeginTxx(ctx, nil)
	if err != nil {
		return 0, "", err
	}
	defer tx.Rollback()
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+pq.QuoteIdentifier(ix)); err != nil {
			return 0, "", err
		}
	}
	var raw []byte
	if err := tx.GetContext(ctx, &raw, q); err != nil {
		return 0, "", err
	}
	var plan []struct {
		Plan          map[string]any `json:"Plan"`
		ExecutionTime float64        `json:"Execution Time"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil || len(plan) == 0 {
		return 0, "", fmt.Errorf("unreadable plan: %v", err)
	}
	return time.Duration(plan[0].ExecutionTime * float64(time.Millisecond)), indexName(plan[0].Plan), nil
}

// indexName returns the first index a plan uses, or "no index".
func indexName(plan map[string]any) string {
	if name, ok := plan["Index Name"].(string); ok {
		return name
	}
	if kids, ok := plan["Plans"].([]any); ok {
		for _, k := range kids {
			if m, ok := k.(map[string]any); ok {
				if name := indexName(m); name != "no index" {
					return name
				}
			}
		}
	}
	return "no index"
}

const dueActionText = "bench: due action"

// insertDueSQL adds $1 open next actions saying $3 that fell due in the hour before $2, on
// customers spread over every rep, each owned by the customer's owner.
const insertDueSQL = `
INSERT INTO next_actions (customer_id, owner_id, text, due_at, status, created_at, updated_at)
SELECT c.id, c.owner_id, $3::text, $2::timestamptz - (i % 3600) * interval '1 second', 'open', $2, $2
FROM generate_series(1, $1::int) i
JOIN customers c ON c.id = 1 + (i::bigint * 31) % (SELECT max(id) FROM customers)`

// claimEnqueue times what a scheduler round does with 10,000 due actions: enqueue their
// reminders, then claim them in the scheduler's batches (500) until none is left. Nothing
// is sent: sending is bounded by Slack's rate limits, not by us.
func claimEnqueue(ctx context.Context, db *storage.DB, r *report, stdout io.Writer) error {
	const due = 10_000
	now := time.Now()
	cleanup := func() error {
		_, err := db.SQLX().ExecContext(context.WithoutCancel(ctx), "DELETE FROM next_actions WHERE text = $1", dueActionText)
		return err
	}
	if err := cleanup(); err != nil {
		return err
	}
	defer cleanup()
	if _, err := db.SQLX().ExecContext(ctx, insertDueSQL, due, now.Add(-time.Second), dueActionText); err != nil {
		return fmt.Errorf("insert due actions: %w", err)
	}
	if _, err := db.SQLX().ExecContext(ctx, "ANALYZE next_actions"); err != nil {
		return err
	}
	t0 := time.Now()
	enqueued, err := db.EnqueueActionReminders(ctx, now)
	if err != nil {
		return err
	}
	tEnqueue := time.Since(t0)
	claimed, rounds := 0, 0
	for {
		batch, err := db.ClaimReminders(ctx, now, 500)
		if err != nil {
			return err
		}
		rounds++
		if len(batch) == 0 {
			break
		}
		claimed += len(batch)
	}
	total := time.Since(t0)
	fmt.Fprintf(stdout, "sched: enqueued %d reminders in %s, claimed %d in %d rounds; %s in all\n",
		enqueued, ms(tEnqueue), claimed, rounds, ms(total))
	r.check(fmt.Sprintf("enqueue + claim %s due reminders (enqueued %d, claimed %d)", thousands(due), enqueued, claimed),
		ms(total), "< 500 ms", total < 500*time.Millisecond && claimed >= due)
	return nil
}

// digest times the weekly digest of every team (all the seeded reps) over the history.
func digest(ctx context.Context, db *storage.DB, r *report, stdout io.Writer) error {
	var teams []int64
	if err := db.SQLX().SelectContext(ctx, &teams, "SELECT id FROM teams ORDER BY id"); err != nil {
		return err
	}
	var reps, followUps int
	if err := db.SQLX().GetContext(ctx, &reps, "SELECT count(*) FROM people WHERE team_id IS NOT NULL"); err != nil {
		return err
	}
	if err := db.SQLX().GetContext(ctx, &followUps, "SELECT count(*) FROM follow_ups"); err != nil {
		return err
	}
	to := time.Now()
	from := to.AddDate(0, 0, -7)
	scope := followup.DigestScope{TeamIDs: teams}
	var times []time.Duration
	var listed int
	for i := range runs + 1 {
		t0 := time.Now()
		d, err := db.Digest(ctx, scope, from, to)
		if err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		if i > 0 { // the first run warms the cache
			times = append(times, time.Since(t0))
		}
		listed = len(d.Reps)
	}
	m := median(times)
	fmt.Fprintf(stdout, "sched: weekly digest of %d reps (%d listed) over %d follow-ups: %s (median of %d)\n",
		reps, listed, followUps, ms(m), runs)
	r.check(fmt.Sprintf("weekly digest, %d reps, %s follow-ups", reps, thousands(followUps)), ms(m), "< 100 ms", m < 100*time.Millisecond)
	return nil
}

// thousands formats n with thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
