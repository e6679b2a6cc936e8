package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The seeded data, generated inside Postgres with generate_series so that a million rows take
// seconds, not the minutes that row-by-row inserts from here would:
//
//   - people UB00000001...: teams of ten, the first of each its manager (who also sells);
//   - customers: code C<yyyymm><seq>, owner rep 1 + id % reps, tiers S 5%, A 20%, B 40%,
//     C 35%, every stage of the funnel, one stage_changes row at creation and one move;
//   - follow_ups over the two years before now, on customer 1 + (i·7919) % customers by its
//     owner, each with one next action: 10% still open, spread over all reps (most due in
//     the coming month, one in ten of those long overdue), the rest done;
//   - reminders: that many already sent, spread over those actions, so every partial index
//     on pending rows sits beside a large history it must not walk.
var seedSteps = []struct {
	what string
	sql  string // $1 now, $2 reps, $3 customers, $4 follow-ups, $5 reminders (see settings)
}{
	{"teams", `
INSERT INTO teams (name, timezone, created_at)
SELECT 'Team ' || t, 'Asia/Shanghai', $1::timestamptz - interval '800 days'
FROM generate_series(1, ($2::int + 9) / 10) t`},
	{"people", `
INSERT INTO people (slack_id, name, real_name, tz, locale, role, team_id, created_at, updated_at)
SELECT 'UB' || lpad(i::text, 8, '0'), 'rep' || i, 'Rep ' || i, 'Asia/Shanghai', 'en',
       CASE WHEN (i - 1) % 10 = 0 THEN 'manager' ELSE 'rep' END,
       (SELECT id FROM teams WHERE name = 'Team ' || ((i - 1) / 10 + 1)),
       $1::timestamptz - interval '800 days', $1::timestamptz - interval '800 days'
FROM generate_series(1, $2::int) i`},
	{"managers", `
UPDATE teams t SET manager_id = p.slack_id FROM people p
WHERE p.team_id = t.id AND p.role = 'manager'`},
	{"customers", `
INSERT INTO customers (code, name, industry, region, source, first_contact_on, owner_id, tier, stage,
                       created_by, created_at, updated_at)
SELECT 'C' || to_char(date '2024-01-01' + (i % 24) * interval '1 month', 'YYYYMM') || lpad((i / 24)::text, 4, '0'),
       (ARRAY['Acme','Baichuan','Northwind','Globex','Initech','Umbrella','Hooli','Vandelay','Stark','Wayne',
              'Tyrell','Cyberdyne','Soylent','Wonka','Gringotts','Oscorp'])[1 + i % 16] || ' ' ||
       (ARRAY['Trading','Logistics','Foods','Machinery','Textiles','Pharma','Software','Retail','Energy',
              'Media','Optics','Chemicals'])[1 + (i / 16) % 12] || ' ' || i,
       (ARRAY['manufacturing','retail','logistics','software','healthcare'])[1 + i % 5],
       (ARRAY['East','North','South','West'])[1 + i % 4], 'referral',
       ($1::timestamptz - interval '730 days' + (i % 730) * interval '1 day')::date,
       'UB' || lpad((1 + i % $2::int)::text, 8, '0'),
       CASE WHEN i % 20 = 0 THEN 'S' WHEN i % 5 = 1 THEN 'A' WHEN i % 5 IN (2, 3) THEN 'B' ELSE 'C' END,
       (ARRAY['lead','lead','intent','intent','quoted','won','lost'])[1 + (i / 7) % 7],
       'seed', $1::timestamptz - interval '730 days' + (i % 730) * interval '1 day',
       $1::timestamptz - interval '730 days' + (i % 730) * interval '1 day'
FROM generate_series(1, $3::int) i`},
	{"stage changes", `
INSERT INTO stage_changes (customer_id, from_stage, to_stage, changed_by, changed_at)
SELECT id, NULL, 'lead', owner_id, created_at FROM customers
UNION ALL
SELECT id, 'lead', stage, owner_id, least(created_at + interval '30 days', $1::timestamptz - interval '1 hour')
FROM customers WHERE stage <> 'lead'`},
	{"follow-ups", `
INSERT INTO follow_ups (customer_id, rep_id, happened_at, method, summary, feedback, mood, source, created_at)
SELECT c, 'UB' || lpad((1 + c % $2::int)::text, 8, '0'), at,
       (ARRAY['phone','visit','video','email','im','phone','visit','other'])[1 + i % 8],
       (ARRAY['Called about the renewal, they want a discount on volume',
              'Visited the plant, met the purchasing manager and the engineer',
              'Demo of the new line went well, asked for references',
              'Sent the revised quote, waiting on their budget meeting',
              'They are comparing us with a competitor on price and lead time'])[1 + i % 5],
       '', (ARRAY['','positive','hesitant','resistant'])[1 + i % 4], 'modal', at
FROM (SELECT i, 1 + (i::bigint * 7919) % $3::int AS c,
             $1::timestamptz - random() * interval '730 days' AS at
      FROM generate_series(1, $4::int) i) g`},
	{"next actions", `
INSERT INTO next_actions (customer_id, follow_up_id, owner_id, text, due_at, status, done_at, created_at, updated_at)
SELECT customer_id, id, rep_id,
       (ARRAY['Send the proposal','Call back about pricing','Book a site visit','Follow up on the quote'])[1 + id % 4],
       CASE WHEN open AND r >= 0.01 THEN $1::timestamptz + (id % 30) * interval '1 day' + interval '2 hours'
            ELSE least(happened_at + (1 + id % 14) * interval '1 day', $1::timestamptz - interval '8 days') END,
       CASE WHEN open THEN 'open' ELSE 'done' END,
       CASE WHEN open THEN NULL
            ELSE least(happened_at + (1 + id % 14) * interval '1 day', $1::timestamptz - interval '8 days') END,
       happened_at, happened_at
-- random(), not the id: the customer (and so the rep) of a follow-up is a function of its
-- id, and an id-based pick would leave every open action with one rep in ten.
FROM (SELECT f.*, r < 0.1 AS open FROM (SELECT f.*, random() AS r FROM follow_ups f) f) f`},
	{"reminders", `
INSERT INTO reminders (kind, dedup_key, recipient_id, action_id, customer_id, send_after, status, attempts,
                       claimed_at, sent_at, channel_id, message_ts, created_at)
SELECT 'action', 'action:' || a.id || ':' || extract(epoch FROM a.due_at)::bigint || ':' || i,
       a.owner_id, a.id, a.customer_id, a.due_at, 'sent', 1, a.due_at, a.due_at, 'D0BENCH', '1.000001', a.due_at
FROM generate_series(1, $5::int) i
JOIN next_actions a ON a.id = 1 + (i - 1) % (SELECT count(*) FROM next_actions)`},
	{"last touch", `
UPDATE customers c SET last_touch_at = f.last
FROM (SELECT customer_id, max(happened_at) AS last FROM follow_ups GROUP BY customer_id) f
WHERE c.id = f.customer_id`},
}

// seed recreates the benchmark database, migrates it and fills it.
func seed(ctx context.Context, e *env, o options, stdout io.Writer) error {
	start := time.Now()
	fmt.Fprintf(stdout, "seed: %d reps, %d customers, %d follow-ups, %d sent reminders into %s\n",
		o.Reps, o.Customers, o.FollowUps, o.Reminders, e.dbName)
	if err := e.recreate(ctx); err != nil {
		return err
	}
	db, err := e.open(ctx)
	if err != nil {
		return err
	}
	db.Close()

	sdb, err := sql.Open("postgres", e.dbURL)
	if err != nil {
		return err
	}
	defer sdb.Close()
	conn, err := sdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The rows are consistent by construction; skipping the per-row foreign-key triggers
	// (superusers only; otherwise they just run) makes seeding several times faster.
	if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err != nil {
		fmt.Fprintln(stdout, "seed: foreign-key checks stay on:", err)
	}
	if _, err := conn.ExecContext(ctx, "SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'"); err != nil {
		return err
	}
	// The sizes travel as session settings, so that a step need not use every one of them
	// (Postgres refuses a parameter whose type it cannot infer).
	now := time.Now().UTC()
	if _, err := conn.ExecContext(ctx, `SELECT set_config('bench.p1', $1, false), set_config('bench.p2', $2, false),
		set_config('bench.p3', $3, false), set_config('bench.p4', $4, false), set_config('bench.p5', $5, false)`,
		now.Format(time.RFC3339Nano), strconv.Itoa(o.Reps), strconv.Itoa(o.Customers),
		strconv.Itoa(o.FollowUps), strconv.Itoa(o.Reminders)); err != nil {
		return fmt.Errorf("seed settings: %w", err)
	}
	params := strings.NewReplacer("$1", "current_setting('bench.p1')", "$2", "current_setting('bench.p2')",
		"$3", "current_setting('bench.p3')", "$4", "current_setting('bench.p4')", "$5", "current_setting('bench.p5')")
	for _, s := range seedSteps {
		t0 := time.Now()
		res, err := conn.ExecContext(ctx, params.Replace(s.sql))
		if err != nil {
			return fmt.Errorf("seed %s: %w", s.what, err)
		}
		n, _ := res.RowsAffected()
		fmt.Fprintf(stdout, "  %-14s %9d rows  %6.1f s\n", s.what, n, time.Since(t0).Seconds())
	}
	t0 := time.Now()
	// A long-lived database is vacuumed and analyzed by autovacuum; do it now so the plans
	// (and index-only scans) are those of production, not of a freshly loaded table.
	if _, err := conn.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
		return fmt.Errorf("seed vacuum: %w", err)
	}
	fmt.Fprintf(stdout, "  %-14s %9s       %6.1f s\n", "vacuum analyze", "", time.Since(t0).Seconds())
	fmt.Fprintf(stdout, "seed: done in %.1f s\n", time.Since(start).Seconds())
	return nil
}
