package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

// A digest's counting rules. Every period is half-open, [from, to), and "at to" figures are
// taken from the data as it stands when the digest is built (a step closed after to no longer
// counts as overdue at to).
//
//   - follow-ups: follow_ups by rep_id with happened_at in the period, whoever owns the customer;
//   - steps due: next_actions by owner_id with due_at in the period and any status but cancelled;
//   - steps done: next_actions by owner_id with status done and done_at in the period;
//   - steps overdue: next_actions by owner_id still open or snoozed with due_at before to;
//   - past cadence: customers the rep owns whose cadenceCTE next_due is before to (lost
//     customers have no cadence);
//   - stage moves: stage_changes by changed_by with changed_at in the period, except the row
//     written when a customer is created (from_stage IS NULL); won and lost are the moves to
//     those stages;
//   - new customers: customers the rep owns with created_at in the period;
//   - surveys: surveys of customers the rep owns (now) with surveyed_at in the period, and
//     the sum of all their scores, from which the rep's average comes.
//
// Who is listed: the people in scope (every person for All, else those whose team is in
// TeamIDs) who own a customer, or are active reps on a team, or (for All) have ever logged a
// follow-up, or have any figure above zero. So an idle rep is listed (a manager must see who
// did nothing), while the manager of a team, who usually sits in it, is listed only when they
// own customers or did something in the period.
//
// The team-wide figures cover the customers owned by the people in scope: churn-risk
// customers are those flagged and not lost; open complaints are those not resolved;
// complaints received are those with received_at in the period, resolved those with
// resolved_at in it (satisfied: of those, the ones with satisfied true), overdue the open
// ones whose due_at is before to; the team's surveys are those with surveyed_at in the
// period, and the previous period's those in [from - (to - from), from).

// scopeSQL selects the people a digest covers: $1 is DigestScope.All, $2 its TeamIDs.
const scopeSQL = `SELECT slack_id FROM people WHERE $1 OR team_id = ANY($2)`

// digestRepsSQL computes every rep's figures in one statement: $1 all, $2 team ids, $3 from,
// $4 to. The period's counts are counts on an index led by the rep's id (or, for new
// customers, by creation time), so their cost follows the period's rows, not the
// history's. Steps due are counted in two halves because each half has a partial index
// (pending steps from 00001, done steps from 00003); cancelled steps, the only other
// status, are not counted. Past cadence comes from digestPastCadenceSQL. figures is
// materialized so that filtering on the counts does not run their subqueries again. A rep
// past cadence owns customers, so is listed whatever that count says.
const digestRepsSQL = `
WITH scope AS (
    SELECT p.slack_id, p.role, p.active, p.team_id,
           COALESCE(NULLIF(p.real_name, ''), NULLIF(p.name, ''), p.slack_id) AS name
    FROM people p
    WHERE $1 OR p.team_id = ANY($2)
),
moves AS (
    SELECT s.changed_by AS rep_id, count(*) AS stage_moves,
           count(*) FILTER (WHERE s.to_stage = 'won') AS won,
           count(*) FILTER (WHERE s.to_stage = 'lost') AS lost
    FROM stage_changes s
    WHERE s.changed_at >= $3 AND s.changed_at < $4 AND s.from_stage IS NOT NULL
    GROUP BY s.changed_by
),
fresh AS (
    SELECT c.owner_id AS rep_id, count(*) AS new_customers
    FROM customers c
    WHERE c.created_at >= $3 AND c.created_at < $4 AND c.owner_id IN (SELECT slack_id FROM scope)
    GROUP BY c.owner_id
),
rated AS (
    SELECT c.owner_id AS rep_id, count(*) AS surveys,
           sum(s.product_quality + s.service_attitude + s.response_speed + s.after_sales) AS survey_points
    FROM surveys s JOIN customers c ON c.id = s.customer_id
    WHERE s.surveyed_at >= $3 AND s.surveyed_at < $4 AND c.owner_id IN (SELECT slack_id FROM scope)
    GROUP BY c.owner_id
),
figures AS MATERIALIZED (
    SELECT r.slack_id AS rep_id, r.name,
        (SELECT count(*) FROM follow_ups f
         WHERE f.rep_id = r.slack_id AND f.happened_at >= $3 AND f.happened_at < $4) AS follow_ups,
        (SELECT count(*) FROM next_actions a
         WHERE a.owner_id = r.slack_id AND a.status IN ('open', 'snoozed') AND a.due_at >= $3 AND a.due_at < $4)
      + (SELECT count(*) FROM next_actions a
         WHERE a.owner_id = r.slack_id AND a.status = 'done' AND a.due_at >= $3 AND a.due_at < $4) AS actions_due,
        (SELECT count(*) FROM next_actions a
         WHERE a.owner_id = r.slack_id AND a.status = 'done' AND a.done_at >= $3 AND a.done_at < $4) AS actions_done,
        (SELECT count(*) FROM next_actions a
         WHERE a.owner_id = r.slack_id AND a.status IN ('open', 'snoozed') AND a.due_at < $4) AS actions_overdue,
        COALESCE(fr.new_customers, 0) AS new_customers,
        COALESCE(m.stage_moves, 0) AS stage_moves, COALESCE(m.won, 0) AS won, COALESCE(m.lost, 0) AS lost,
        COALESCE(sv.surveys, 0) AS surveys, COALESCE(sv.survey_points, 0) AS survey_points,
        EXISTS (SELECT 1 FROM customers c WHERE c.owner_id = r.slack_id)
            OR (r.team_id IS NOT NULL AND r.role = 'rep' AND r.active)
            OR ($1 AND EXISTS (SELECT 1 FROM follow_ups f WHERE f.rep_id = r.slack_id)) AS listed
    FROM scope r
    LEFT JOIN moves m ON m.rep_id = r.slack_id
    LEFT JOIN fresh fr ON fr.rep_id = r.slack_id
    LEFT JOIN rated sv ON sv.rep_id = r.slack_id
)
SELECT rep_id, name, follow_ups, actions_due, actions_done, actions_overdue, 0 AS past_cadence,
       new_customers, stage_moves, won, lost, surveys, survey_points
FROM figures
WHERE listed OR follow_ups + actions_due + actions_done + actions_overdue
                + new_customers + stage_moves + surveys > 0
ORDER BY lower(name), rep_id`

// digestPastCadenceSQL counts each rep's customers in play past their cadence at $3: $1
// all, $2 team ids. It is the one figure that reads every customer in play (their next
// due dates move with the clock, so no index can hold them), and a statement of its own:
// Postgres then scans the customers in parallel, which it does not inside the figures of
// digestRepsSQL.
const digestPastCadenceSQL = `
WITH ` + cadenceCTE + `
SELECT cd.owner_id AS rep_id, count(*) AS past_cadence
FROM cadence cd
WHERE cd.next_due < $3 AND cd.owner_id IN (SELECT slack_id FROM people WHERE $1 OR team_id = ANY($2))
GROUP BY cd.owner_id`

type repActivityRow struct {
	RepID          string `db:"rep_id"`
	Name           string `db:"name"`
	FollowUps      int    `db:"follow_ups"`
	ActionsDue     int    `db:"actions_due"`
	ActionsDone    int    `db:"actions_done"`
	ActionsOverdue int    `db:"actions_overdue"`
	PastCadence    int    `db:"past_cadence"`
	NewCustomers   int    `db:"new_customers"`
	StageMoves     int    `db:"stage_moves"`
	Won            int    `db:"won"`
	Lost           int    `db:"lost"`
	Surveys        int    `db:"surveys"`
	SurveyPoints   int    `db:"survey_points"`
}

// digestChurnRiskSQL lists flagged customers of the scope, the longest untouched first, with
// how many there are in all: $1 all, $2 team ids, $3 how many to list.
const digestChurnRiskSQL = `
SELECT ` + customerColumns + `, count(*) OVER () AS total
FROM customers
WHERE churn_risk AND stage <> 'lost' AND ($1 OR owner_id IN (` + scopeSQL + `))
ORDER BY COALESCE(last_touch_at, created_at), id
LIMIT $3`

type churnRiskRow struct {
	customerRow
	Total int `db:"total"`
}

// digestComplaintsSQL lists the scope's unresolved complaints, the oldest first, with how
// many there are in all; complaints_open_idx serves it. $1 all, $2 team ids, $3 how many.
const digestComplaintsSQL = `
SELECT ` + complaintColumns + `, count(*) OVER () AS total
FROM complaints k
JOIN customers c ON c.id = k.customer_id
WHERE k.status <> 'resolved' AND ($1 OR c.owner_id IN (` + scopeSQL + `))
ORDER BY k.received_at, k.id
LIMIT $3`

type countedComplaintRow struct {
	complaintRow
	Total int `db:"total"`
}

// digestComplaintFiguresSQL counts the scope's complaints received, resolved (and of
// those, satisfied) in the period, and open past their deadline at its end: $1 all, $2
// team ids, $3 from, $4 to. Each count reads its own index (received_at, resolved_at, the
// open complaints' due_at), so none scans the complaints' history.
const digestComplaintFiguresSQL = `
WITH scope AS (` + scopeSQL + `),
received AS (
    SELECT count(*) AS n FROM complaints k JOIN customers c ON c.id = k.customer_id
    WHERE k.received_at >= $3 AND k.received_at < $4 AND ($1 OR c.owner_id IN (SELECT slack_id FROM scope))
),
resolved AS (
    SELECT count(*) AS n, count(*) FILTER (WHERE k.satisfied) AS satisfied
    FROM complaints k JOIN customers c ON c.id = k.customer_id
    WHERE k.status = 'resolved' AND k.resolved_at >= $3 AND k.resolved_at < $4
      AND ($1 OR c.owner_id IN (SELECT slack_id FROM scope))
),
overdue AS (
    SELECT count(*) AS n FROM complaints k JOIN customers c ON c.id = k.customer_id
    WHERE k.status <> 'resolved' AND k.due_at < $4 AND ($1 OR c.owner_id IN (SELECT slack_id FROM scope))
)
SELECT received.n AS received, resolved.n AS resolved, resolved.satisfied, overdue.n AS overdue
FROM received, resolved, overdue`

type complaintFiguresRow struct {
	Received  int `db:"received"`
	Resolved  int `db:"resolved"`
	Satisfied int `db:"satisfied"`
	Overdue   int `db:"overdue"`
}

// digestSurveysSQL sums the scope's surveys of the period and of the one before it, per
// question: $1 all, $2 team ids, $3 from, $4 to, $5 the previous period's start
// (surveys_at_idx serves the range).
const digestSurveysSQL = `
SELECT s.surveyed_at >= $3 AS current, count(*) AS n,
       sum(s.product_quality) AS product_quality, sum(s.service_attitude) AS service_attitude,
       sum(s.response_speed) AS response_speed, sum(s.after_sales) AS after_sales
FROM surveys s JOIN customers c ON c.id = s.customer_id
WHERE s.surveyed_at >= $5 AND s.surveyed_at < $4 AND ($1 OR c.owner_id IN (` + scopeSQL + `))
GROUP BY 1`

type surveyTotalsRow struct {
	Current         bool `db:"current"`
	N               int  `db:"n"`
	ProductQuality  int  `db:"product_quality"`
	ServiceAttitude int  `db:"service_attitude"`
	ResponseSpeed   int  `db:"response_speed"`
	AfterSales      int  `db:"after_sales"`
}

func (r surveyTotalsRow) totals() followup.SurveyTotals {
	return followup.SurveyTotals{Count: r.N, Scores: followup.SurveyScores{
		ProductQuality: r.ProductQuality, ServiceAttitude: r.ServiceAttitude, ResponseSpeed: r.ResponseSpeed, AfterSales: r.AfterSales,
	}}
}

// Digest returns the figures of the people in scope over [from, to), following the counting
// rules above. Its statements read one snapshot, so the totals and the lists agree
// even while reps keep logging.
func (db *DB) Digest(ctx context.Context, scope followup.DigestScope, from, to time.Time) (followup.Digest, error) {
	d := followup.Digest{From: from, To: to}
	if !to.After(from) {
		return d, followup.Errorf(followup.EINVALID, "A digest period must end after it starts.")
	}
	err := db.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		return digest(ctx, tx, &d, scope.All, teamArray(scope.TeamIDs))
	})
	if err != nil {
		return followup.Digest{}, err
	}
	return d, nil
}

func digest(ctx context.Context, tx *sqlx.Tx, d *followup.Digest, all bool, teams pq.Int64Array) error {
	var reps []repActivityRow
	if err := tx.SelectContext(ctx, &reps, digestRepsSQL, all, teams, d.From, d.To); err != nil {
		return fmt.Errorf("digest reps: %w", err)
	}
	var past []struct {
		RepID       string `db:"rep_id"`
		PastCadence int    `db:"past_cadence"`
	}
	if err := tx.SelectContext(ctx, &past, digestPastCadenceSQL, all, teams, d.To); err != nil {
		return fmt.Errorf("digest past cadence: %w", err)
	}
	pastOf := make(map[string]int, len(past))
	for _, p := range past {
		pastOf[p.RepID] = p.PastCadence
	}
	d.Reps = make([]followup.RepActivity, len(reps))
	for i, r := range reps {
		r.PastCadence = pastOf[r.RepID]
		d.Reps[i] = followup.RepActivity(r)
		d.Total.Add(d.Reps[i])
	}

	var churn []churnRiskRow
	if err := tx.SelectContext(ctx, &churn, digestChurnRiskSQL, all, teams, followup.DigestChurnRiskShown); err != nil {
		return fmt.Errorf("digest churn risk: %w", err)
	}
	d.ChurnRisk = make([]followup.Customer, len(churn))
	for i, r := range churn {
		d.ChurnRisk[i] = r.customer()
		d.ChurnRiskCount = r.Total
	}

	var open []countedComplaintRow
	if err := tx.SelectContext(ctx, &open, digestComplaintsSQL, all, teams, followup.DigestComplaintsShown); err != nil {
		return fmt.Errorf("digest complaints: %w", err)
	}
	d.OldestComplaints = make([]followup.Complaint, len(open))
	for i, r := range open {
		d.OldestComplaints[i] = r.complaint()
		d.OpenComplaints = r.Total
	}
	var kf complaintFiguresRow
	if err := tx.GetContext(ctx, &kf, digestComplaintFiguresSQL, all, teams, d.From, d.To); err != nil {
		return fmt.Errorf("digest complaint figures: %w", err)
	}
	d.ComplaintsReceived, d.ComplaintsResolved, d.ComplaintsSatisfied, d.ComplaintsOverdue = kf.Received, kf.Resolved, kf.Satisfied, kf.Overdue

	var surveys []surveyTotalsRow
	if err := tx.SelectContext(ctx, &surveys, digestSurveysSQL, all, teams, d.From, d.To, d.PreviousFrom()); err != nil {
		return fmt.Errorf("digest surveys: %w", err)
	}
	for _, r := range surveys {
		if r.Current {
			d.Surveys = r.totals()
		} else {
			d.PreviousSurveys = r.totals()
		}
	}
	return nil
}

const managedTeamIDsSQL = `SELECT id FROM teams WHERE manager_id = $1 ORDER BY id`

// ManagedTeamIDs returns the ids of the teams the person manages, none when they lead no
// team; with them a manager's digest scope is DigestScope{TeamIDs: ids}.
func (db *DB) ManagedTeamIDs(ctx context.Context, managerID string) ([]int64, error) {
	ids := []int64{}
	if err := db.db.SelectContext(ctx, &ids, managedTeamIDsSQL, managerID); err != nil {
		return nil, mapError(err)
	}
	return ids, nil
}

const digestRecipientsSQL = `
SELECT ` + personColumns + ` FROM people
WHERE active AND slack_id IN (SELECT manager_id FROM teams)
ORDER BY slack_id`

// DigestRecipients returns the people the scheduled digest goes to: the active people who
// manage at least one team. Admins are not among them unless they manage a team: an admin
// of a large workspace would get every team's figures unasked; they can ask with
// `/followup digest`.
func (db *DB) DigestRecipients(ctx context.Context) ([]followup.Person, error) {
	var rows []personRow
	if err := db.db.SelectContext(ctx, &rows, digestRecipientsSQL); err != nil {
		return nil, mapError(err)
	}
	out := make([]followup.Person, len(rows))
	for i, r := range rows {
		out[i] = r.person()
	}
	return out, nil
}
