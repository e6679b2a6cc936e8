package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

// The funnel's counting rules are the domain's (followup.Funnel and the types it holds);
// here they are in SQL. Whose customers: the current owner decides, as for a digest's
// team-wide figures, so a rep's funnel follows the customers they own now, whoever moved
// them. Parameters shared by every statement: $1 all, $2 team ids, $3 rep id ('' for none),
// $4 from, $5 to.

// funnelScopeCTE names the customers a funnel covers.
const funnelScopeCTE = `scoped AS (
    SELECT c.id, c.tier, c.stage, c.created_at, c.first_contact_on
    FROM customers c
    WHERE ($3::text <> '' AND c.owner_id = $3)
       OR ($3 = '' AND ($1::boolean OR c.owner_id IN (SELECT slack_id FROM people WHERE team_id = ANY($2::bigint[]))))
)`

const funnelStagesSQL = `
WITH ` + funnelScopeCTE + `
SELECT stage, count(*) AS n FROM scoped GROUP BY stage`

// funnelStepsSQL counts, for each step of the funnel order (rank r to r+1), the customers
// that reached rank r in the period and those of them at rank r+1 or beyond by its end. A
// customer's peak is the highest rank its moves reached (being added reaches lead, even for
// a customer whose creation wrote no move). Only customers with a move or their creation in
// the period can have reached anything in it, and only their history is read: the two
// period indexes find them, the customer index their moves.
const funnelStepsSQL = `
WITH ` + funnelScopeCTE + `,
active AS (
    SELECT customer_id AS id FROM stage_changes WHERE changed_at >= $4 AND changed_at < $5
    UNION
    SELECT id FROM customers WHERE created_at >= $4 AND created_at < $5
),
events AS (
    SELECT s.customer_id, s.changed_at, array_position(ARRAY['lead', 'intent', 'quoted', 'won'], s.to_stage) AS rank
    FROM stage_changes s
    WHERE s.customer_id IN (SELECT id FROM active) AND s.customer_id IN (SELECT id FROM scoped) AND s.changed_at < $5
    UNION ALL
    SELECT c.id, c.created_at, 1 FROM scoped c
    WHERE c.id IN (SELECT id FROM active) AND c.created_at < $5
),
peaks AS (
    SELECT customer_id, COALESCE(max(rank) FILTER (WHERE changed_at < $4), 0) AS before, max(rank) AS at_end
    FROM events GROUP BY customer_id
)
SELECT r.rank, count(p.customer_id) FILTER (WHERE p.before < r.rank AND p.at_end >= r.rank) AS reached,
       count(p.customer_id) FILTER (WHERE p.before < r.rank AND p.at_end > r.rank) AS advanced
FROM generate_series(1, 3) AS r(rank) CROSS JOIN peaks p
GROUP BY r.rank ORDER BY r.rank`

// funnelClosedSQL groups the customers closed in the period (each by its last move to won
// or lost in it) by tier, outcome and lost reason, with the days from first contact to the
// day won added up for the won ones, counted as calendar days in $6 (the reader's zone).
const funnelClosedSQL = `
WITH ` + funnelScopeCTE + `,
closed AS (
    SELECT DISTINCT ON (s.customer_id) s.customer_id, s.to_stage, s.lost_reason, s.changed_at
    FROM stage_changes s
    WHERE s.changed_at >= $4 AND s.changed_at < $5 AND s.to_stage IN ('won', 'lost')
      AND s.customer_id IN (SELECT id FROM scoped)
    ORDER BY s.customer_id, s.changed_at DESC, s.id DESC
)
SELECT c.tier, cl.to_stage, cl.lost_reason, count(*) AS n,
       COALESCE(sum(GREATEST(0, (cl.changed_at AT TIME ZONE $6)::date
                 - COALESCE(c.first_contact_on, (c.created_at AT TIME ZONE $6)::date)))
                FILTER (WHERE cl.to_stage = 'won'), 0) AS days
FROM closed cl JOIN scoped c ON c.id = cl.customer_id
GROUP BY c.tier, cl.to_stage, cl.lost_reason`

type closedRow struct {
	Tier       string `db:"tier"`
	Stage      string `db:"to_stage"`
	LostReason string `db:"lost_reason"`
	N          int    `db:"n"`
	Days       int    `db:"days"`
}

// funnelArgs are the shared parameters of the funnel's statements.
func funnelArgs(scope followup.FunnelScope, from, to time.Time, loc *time.Location) []any {
	return []any{scope.All, teamArray(scope.TeamIDs), scope.RepID, from, to, zoneName(loc)}
}

// teamArray is team ids as a Postgres array, empty rather than NULL, which would make
// ANY() unknown rather than false.
func teamArray(ids []int64) pq.Int64Array {
	if ids == nil {
		return pq.Int64Array{}
	}
	return pq.Int64Array(ids)
}

// zoneName is loc's IANA name as Postgres knows it; the process's Local zone has no such
// name, and UTC stands in for it.
func zoneName(loc *time.Location) string {
	if loc == nil || loc == time.Local {
		return "UTC"
	}
	return loc.String()
}

// Funnel returns where the scope's customers stand now and how they moved over [from, to),
// following the domain's rules, in one snapshot; days of the cycle time are counted in loc.
func (db *DB) Funnel(ctx context.Context, scope followup.FunnelScope, from, to time.Time, loc *time.Location) (followup.Funnel, error) {
	f := followup.Funnel{From: from, To: to}
	if !to.After(from) {
		return f, followup.Errorf(followup.EINVALID, "A period must end after it starts.")
	}
	err := db.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		args := funnelArgs(scope, from, to, loc)
		var stages []struct {
			Stage string `db:"stage"`
			N     int    `db:"n"`
		}
		if err := tx.SelectContext(ctx, &stages, funnelStagesSQL, args[:3]...); err != nil {
			return fmt.Errorf("funnel stages: %w", err)
		}
		f.Stages = map[followup.Stage]int{}
		for _, s := range stages {
			f.Stages[followup.Stage(s.Stage)] = s.N
		}
		var steps []struct {
			Rank     int `db:"rank"`
			Reached  int `db:"reached"`
			Advanced int `db:"advanced"`
		}
		if err := tx.SelectContext(ctx, &steps, funnelStepsSQL, args[:5]...); err != nil {
			return fmt.Errorf("funnel steps: %w", err)
		}
		order := followup.FunnelOrder()
		for i := range order[:len(order)-1] {
			step := followup.FunnelStep{From: order[i], To: order[i+1]}
			for _, s := range steps {
				if s.Rank == i+1 {
					step.Reached, step.Advanced = s.Reached, s.Advanced
				}
			}
			f.Steps = append(f.Steps, step)
		}
		return funnelClosed(ctx, tx, args, &f.Tiers, &f.Reasons, &f.WonCustomers, &f.CycleDays)
	})
	if err != nil {
		return followup.Funnel{}, err
	}
	return f, nil
}

// funnelClosed fills in how the period's deals closed: by tier (every tier, closed or
// not), lost reasons ranked, and the cycle time's customers and days.
func funnelClosed(ctx context.Context, tx *sqlx.Tx, args []any, tiers *[]followup.TierConversion, reasons *[]followup.ReasonCount, won, days *int) error {
	var rows []closedRow
	if err := tx.SelectContext(ctx, &rows, funnelClosedSQL, args...); err != nil {
		return fmt.Errorf("funnel closed deals: %w", err)
	}
	byTier := map[followup.Tier]*followup.TierConversion{}
	*tiers = nil
	for _, t := range followup.Tiers() {
		*tiers = append(*tiers, followup.TierConversion{Tier: t})
	}
	for i := range *tiers {
		byTier[(*tiers)[i].Tier] = &(*tiers)[i]
	}
	lost := map[followup.LostReason]int{}
	for _, r := range rows {
		tc := byTier[followup.Tier(r.Tier)]
		switch followup.Stage(r.Stage) {
		case followup.StageWon:
			tc.Won += r.N
			*won += r.N
			*days += r.Days
		case followup.StageLost:
			tc.Lost += r.N
			lost[followup.LostReason(r.LostReason)] += r.N
		}
	}
	*reasons = followup.RankLostReasons(lost)
	return nil
}
