package storage

import (
	"context"
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

const insertFollowUpSQL = `
INSERT INTO follow_ups (customer_id, rep_id, happened_at, method, summary, feedback, mood, source, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING ` + followUpColumns

const insertActionSQL = `
INSERT INTO next_actions (customer_id, follow_up_id, owner_id, text, due_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING ` + actionColumns

// touchCustomerSQL moves the cadence clock forward (never back, for a late-logged older
// contact) and, when asked, the funnel stage; it returns the stage before the change.
const touchCustomerSQL = `
UPDATE customers c SET
    last_touch_at = GREATEST(c.last_touch_at, $2),
    stage = COALESCE(NULLIF($3, ''), c.stage),
    updated_at = $4
FROM (SELECT id, stage FROM customers WHERE id = $1 FOR UPDATE) old
WHERE c.id = old.id
RETURNING old.stage`

// CreateFollowUp stores a follow-up, its next action and the customer's new last touch and
// stage in one transaction: the rep is told it was saved only if all of it was.
func (db *DB) CreateFollowUp(ctx context.Context, nf followup.NewFollowUp) (followup.FollowUp, error) {
	var fu followup.FollowUp
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		var err error
		fu, err = createFollowUp(ctx, tx, now, nf)
		return err
	})
	return fu, err
}

// ReplaceFollowUp swaps a follow-up for an edited one in one transaction: the rep who
// pressed Edit never ends up with both, or with neither.
func (db *DB) ReplaceFollowUp(ctx context.Context, oldID int64, nf followup.NewFollowUp) (followup.FollowUp, error) {
	var fu followup.FollowUp
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		if err := deleteFollowUp(ctx, tx, now, oldID, nf.RepID); err != nil {
			return err
		}
		var err error
		fu, err = createFollowUp(ctx, tx, now, nf)
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

func createFollowUp(ctx context.Context, tx *sqlx.Tx, now time.Time, nf followup.NewFollowUp) (followup.FollowUp, error) {
	var oldStage string
	if err := tx.GetContext(ctx, &oldStage, touchCustomerSQL, nf.CustomerID, nf.HappenedAt, nf.Stage, now); err != nil {
		if followup.ErrorCode(mapError(err)) == followup.ENOTFOUND {
			return followup.FollowUp{}, followup.FieldErrors{"customer": "That customer no longer exists."}
		}
		return followup.FollowUp{}, fmt.Errorf("touch customer: %w", err)
	}
	var row followUpRow
	if err := tx.GetContext(ctx, &row, insertFollowUpSQL, nf.CustomerID, nf.RepID, nf.HappenedAt,
		nf.Method, nf.Summary, nf.Feedback, nf.Mood, nf.Source, now); err != nil {
		return followup.FollowUp{}, fmt.Errorf("insert follow-up: %w", err)
	}
	fu := row.followUp()
	if nf.Next != nil {
		var a actionRow
		if err := tx.GetContext(ctx, &a, insertActionSQL, nf.CustomerID, fu.ID, nf.Next.OwnerID, nf.Next.Text, nf.Next.DueAt, now); err != nil {
			return followup.FollowUp{}, fmt.Errorf("insert next action: %w", err)
		}
		fu.Actions = append(fu.Actions, a.action())
	}
	if nf.Stage != "" && string(nf.Stage) != oldStage {
		if _, err := tx.ExecContext(ctx, insertStageChangeSQL, nf.CustomerID, oldStage, nf.Stage, "", nf.RepID, now); err != nil {
			return followup.FollowUp{}, fmt.Errorf("insert stage change: %w", err)
		}
	}
	return fu, nil
}

// lockFollowUpSQL finds a rep's own follow-up, locking it against a concurrent undo.
const lockFollowUpSQL = `SELECT customer_id, created_at FROM follow_ups WHERE id = $1 AND rep_id = $2 FOR UPDATE`

// deleteFollowUpSQL removes the follow-up with what it created: its next actions, and the
// stage move its rep recorded in the same transaction (same timestamp).
const deleteFollowUpSQL = `
WITH actions AS (DELETE FROM next_actions WHERE follow_up_id = $1),
     moves AS (DELETE FROM stage_changes WHERE customer_id = $2 AND changed_by = $3 AND changed_at = $4 AND from_stage IS NOT NULL)
DELETE FROM follow_ups WHERE id = $1`

// restoreCustomerSQL puts back the customer's last touch, and its stage as it was before
// the latest remaining move.
const restoreCustomerSQL = `
UPDATE customers c SET
    last_touch_at = (SELECT max(happened_at) FROM follow_ups WHERE customer_id = c.id),
    stage = COALESCE((SELECT to_stage FROM stage_changes WHERE customer_id = c.id ORDER BY changed_at DESC, id DESC LIMIT 1), c.stage),
    updated_at = $2
WHERE id = $1`

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
