package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

type followUpRow struct {
	ID         int64     `db:"id"`
	CustomerID int64     `db:"customer_id"`
	RepID      string    `db:"rep_id"`
	HappenedAt time.Time `db:"happened_at"`
	Method     string    `db:"method"`
	Summary    string    `db:"summary"`
	Feedback   string    `db:"feedback"`
	Mood       string    `db:"mood"`
	Source     string    `db:"source"`
	CreatedAt  time.Time `db:"created_at"`
}

const followUpColumns = `id, customer_id, rep_id, happened_at, method, summary, feedback, mood, source, created_at`

func (r followUpRow) followUp() followup.FollowUp {
	return followup.FollowUp{
		ID: r.ID, CustomerID: r.CustomerID, RepID: r.RepID, HappenedAt: r.HappenedAt,
		Method: followup.Method(r.Method), Summary: r.Summary, Feedback: r.Feedback,
		Mood: followup.Mood(r.Mood), Source: r.Source, CreatedAt: r.CreatedAt,
	}
}

// createFollowUpSQL stores a follow-up with everything it implies in one statement, so a
// quick log costs one round trip to Postgres instead of a transaction's five or more: the
// customer row is locked and touched (the cadence clock moves forward, never back, for a
// late-logged older contact; the funnel stage moves when asked), the follow-up and its
// next action are inserted, and a stage move is recorded when the stage changed. A single
// statement is one transaction: all of it is committed, or none. No row comes back when
// the customer does not exist. Parameters:
//
//	$1 customer  $2 rep  $3 happened at  $4 method  $5 summary  $6 feedback  $7 mood
//	$8 source  $9 stage ('' keeps it)  $10 now  $11 next step's owner  $12 next step
//	('' for none)  $13 its due time  $14 the lost reason of a move to lost
//
// A move to lost records its reason on the customer and the move; a move to any other
// stage clears the customer's reason (a lost deal reopened is no longer lost for it).
const createFollowUpSQL = `
WITH old AS (
    SELECT id, stage FROM customers WHERE id = $1::bigint FOR UPDATE
), touched AS (
    UPDATE customers c SET
        last_touch_at = GREATEST(c.last_touch_at, $3::timestamptz),
        stage = COALESCE(NULLIF($9::text, ''), c.stage),
        lost_reason = CASE WHEN $9 = '' OR $9 = old.stage THEN c.lost_reason
                           WHEN $9 = 'lost' THEN $14::text ELSE '' END,
        updated_at = $10::timestamptz
    FROM old WHERE c.id = old.id
    RETURNING old.stage AS old_stage
), fu AS (
    INSERT INTO follow_ups (customer_id, rep_id, happened_at, method, summary, feedback, mood, source, created_at)
    SELECT $1, $2::text, $3, $4::text, $5::text, $6::text, $7::text, $8::text, $10 FROM touched
    RETURNING ` + followUpColumns + `
), act AS (
    INSERT INTO next_actions (customer_id, follow_up_id, owner_id, text, due_at, created_at, updated_at)
    SELECT $1, fu.id, $11::text, $12::text, $13::timestamptz, $10, $10 FROM fu WHERE $12 <> ''
    RETURNING ` + actionColumns + `
), moved AS (
    INSERT INTO stage_changes (customer_id, from_stage, to_stage, lost_reason, changed_by, changed_at)
    SELECT $1, old_stage, $9, CASE WHEN $9 = 'lost' THEN $14 ELSE '' END, $2, $10
    FROM touched WHERE $9 <> '' AND $9 <> old_stage
)
SELECT fu.id, fu.customer_id, fu.rep_id, fu.happened_at, fu.method, fu.summary, fu.feedback, fu.mood,
       fu.source, fu.created_at,
       act.id AS a_id, act.owner_id AS a_owner_id, act.text AS a_text, act.due_at AS a_due_at,
       act.status AS a_status, act.created_at AS a_created_at
FROM fu LEFT JOIN act ON true`

// createdFollowUpRow is what createFollowUpSQL returns: the follow-up and, when one was
// planned, its next action.
type createdFollowUpRow struct {
	followUpRow
	ActionID        sql.NullInt64  `db:"a_id"`
	ActionOwnerID   sql.NullString `db:"a_owner_id"`
	ActionText      sql.NullString `db:"a_text"`
	ActionDueAt     sql.NullTime   `db:"a_due_at"`
	ActionStatus    sql.NullString `db:"a_status"`
	ActionCreatedAt sql.NullTime   `db:"a_created_at"`
}

func (r createdFollowUpRow) followUp() followup.FollowUp {
	fu := r.followUpRow.followUp()
	if r.ActionID.Valid {
		fu.Actions = []followup.NextAction{{
			ID: r.ActionID.Int64, CustomerID: r.CustomerID, FollowUpID: r.ID, OwnerID: r.ActionOwnerID.String,
			Text: r.ActionText.String, DueAt: r.ActionDueAt.Time, Status: followup.ActionStatus(r.ActionStatus.String),
			CreatedAt: r.ActionCreatedAt.Time,
		}}
	}
	return fu
}

// CreateFollowUp stores a follow-up, its next action, the customer's new last touch and
// stage, and the stage move, all at once (one statement, one round trip): the rep is told
// it was saved only if all of it was. Follow-ups logged at the same moment share that
// statement (batch.go).
func (db *DB) CreateFollowUp(ctx context.Context, nf followup.NewFollowUp) (followup.FollowUp, error) {
	return db.grouper.create(ctx, nf)
}

// ReplaceFollowUp swaps a follow-up for an edited one in one transaction: the rep who
// pressed Edit never ends up with both, or with neither.
func (db *DB) ReplaceFollowUp(ctx context.Context, oldID int64, nf followup.NewFollowUp) (followup.FollowUp, error) {
	var fu followup.FollowUp
	st, err := db.stmt(ctx, createFollowUpSQL)
	if err != nil {
		return fu, err
	}
	err = db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		if err := deleteFollowUp(ctx, tx, now, oldID, nf.RepID); err != nil {
			return err
		}
		var err error
		fu, err = createFollowUp(ctx, tx.StmtxContext(ctx, st), now, nf)
		return err
	})
	return fu, err
}

// DeleteFollowUp undoes a follow-up its rep logged: the follow-up, its next actions and
// its stage move go, and the customer's last touch falls back to the previous follow-up.
func (db *DB) DeleteFollowUp(ctx context.Context, id int64, by string) error {
	return db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		return deleteFollowUp(ctx, tx, now, id, by)
	})
}

// createFollowUp runs createFollowUpSQL, prepared, on the pool or in a transaction.
func createFollowUp(ctx context.Context, st *sqlx.Stmt, now time.Time, nf followup.NewFollowUp) (followup.FollowUp, error) {
	var owner, next string
	var due time.Time
	if nf.Next != nil {
		owner, next, due = nf.Next.OwnerID, nf.Next.Text, nf.Next.DueAt
	}
	var row createdFollowUpRow
	err := st.GetContext(ctx, &row, nf.CustomerID, nf.RepID, nf.HappenedAt,
		nf.Method, nf.Summary, nf.Feedback, nf.Mood, nf.Source, nf.Stage, now, owner, next, due, nf.LostReason)
	if errors.Is(err, sql.ErrNoRows) {
		return followup.FollowUp{}, errCustomerGone
	}
	if err != nil {
		return followup.FollowUp{}, fmt.Errorf("insert follow-up: %w", err)
	}
	return row.followUp(), nil
}

// lockFollowUpSQL finds a rep's own follow-up, locking it against a concurrent undo.
const lockFollowUpSQL = `SELECT customer_id, created_at FROM follow_ups WHERE id = $1 AND rep_id = $2 FOR UPDATE`

// deleteFollowUpSQL removes the follow-up with what it created: its next actions, and the
// stage move its rep recorded in the same transaction (same timestamp).
const deleteFollowUpSQL = `
WITH actions AS (DELETE FROM next_actions WHERE follow_up_id = $1),
     moves AS (DELETE FROM stage_changes WHERE customer_id = $2 AND changed_by = $3 AND changed_at = $4 AND from_stage IS NOT NULL)
DELETE FROM follow_ups WHERE id = $1`

// restoreCustomerSQL puts back the customer's last touch, and its stage (with the lost
// reason, when that stage is lost) as the latest remaining move left it.
const restoreCustomerSQL = `
UPDATE customers c SET
    last_touch_at = (SELECT max(happened_at) FROM follow_ups WHERE customer_id = c.id),
    stage = COALESCE(last.to_stage, c.stage),
    lost_reason = COALESCE(CASE WHEN last.to_stage = 'lost' THEN last.lost_reason ELSE '' END, c.lost_reason),
    updated_at = $2
FROM (SELECT NULL) AS always
LEFT JOIN LATERAL (
    SELECT to_stage, lost_reason FROM stage_changes WHERE customer_id = $1 ORDER BY changed_at DESC, id DESC LIMIT 1
) last ON true
WHERE c.id = $1`

func deleteFollowUp(ctx context.Context, tx *sqlx.Tx, now time.Time, id int64, by string) error {
	var gone struct {
		CustomerID int64     `db:"customer_id"`
		CreatedAt  time.Time `db:"created_at"`
	}
	if err := tx.GetContext(ctx, &gone, lockFollowUpSQL, id, by); err != nil {
		if followup.ErrorCode(mapError(err)) == followup.ENOTFOUND {
			return followup.Errorf(followup.ENOTFOUND, "That follow-up is gone already.")
		}
		return fmt.Errorf("find follow-up: %w", err)
	}
	if _, err := tx.ExecContext(ctx, deleteFollowUpSQL, id, gone.CustomerID, by, gone.CreatedAt); err != nil {
		return fmt.Errorf("delete follow-up: %w", err)
	}
	if _, err := tx.ExecContext(ctx, restoreCustomerSQL, gone.CustomerID, now); err != nil {
		return fmt.Errorf("restore customer: %w", err)
	}
	return audit(ctx, tx, now, by, "delete", "follow_up", id, "slack")
}

const findFollowUpsSQL = `
SELECT ` + followUpColumns + ` FROM follow_ups
WHERE customer_id = $1
ORDER BY happened_at DESC, id DESC
LIMIT $2`

// FindFollowUps returns a customer's latest follow-ups, newest first.
func (db *DB) FindFollowUps(ctx context.Context, customerID int64, limit int) ([]followup.FollowUp, error) {
	var rows []followUpRow
	if err := db.db.SelectContext(ctx, &rows, findFollowUpsSQL, customerID, limit); err != nil {
		return nil, mapError(err)
	}
	out := make([]followup.FollowUp, len(rows))
	for i, r := range rows {
		out[i] = r.followUp()
	}
	return out, nil
}

const findFollowUpSQL = `SELECT ` + followUpColumns + ` FROM follow_ups WHERE id = $1`

const findFollowUpActionsSQL = `SELECT ` + actionColumns + ` FROM next_actions WHERE follow_up_id = $1 ORDER BY id`

// FindFollowUp returns a follow-up with the next actions it planned, or ENOTFOUND.
func (db *DB) FindFollowUp(ctx context.Context, id int64) (followup.FollowUp, error) {
	var row followUpRow
	if err := db.db.GetContext(ctx, &row, findFollowUpSQL, id); err != nil {
		return followup.FollowUp{}, mapError(err)
	}
	var acts []actionRow
	if err := db.db.SelectContext(ctx, &acts, findFollowUpActionsSQL, id); err != nil {
		return followup.FollowUp{}, mapError(err)
	}
	fu := row.followUp()
	fu.Actions = actions(acts)
	return fu, nil
}
