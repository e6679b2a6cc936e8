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
		var oldStage string
		if err := tx.GetContext(ctx, &oldStage, touchCustomerSQL, nf.CustomerID, nf.HappenedAt, nf.Stage, now); err != nil {
			if followup.ErrorCode(mapError(err)) == followup.ENOTFOUND {
				return followup.FieldErrors{"customer": "That customer no longer exists."}
			}
			return fmt.Errorf("touch customer: %w", err)
		}
		var row followUpRow
		if err := tx.GetContext(ctx, &row, insertFollowUpSQL, nf.CustomerID, nf.RepID, nf.HappenedAt,
			nf.Method, nf.Summary, nf.Feedback, nf.Mood, nf.Source, now); err != nil {
			return fmt.Errorf("insert follow-up: %w", err)
		}
		fu = row.followUp()
		if nf.Next != nil {
			var a actionRow
			if err := tx.GetContext(ctx, &a, insertActionSQL, nf.CustomerID, fu.ID, nf.Next.OwnerID, nf.Next.Text, nf.Next.DueAt, now); err != nil {
				return fmt.Errorf("insert next action: %w", err)
			}
			fu.Actions = append(fu.Actions, a.action())
		}
		if nf.Stage != "" && string(nf.Stage) != oldStage {
			if _, err := tx.ExecContext(ctx, insertStageChangeSQL, nf.CustomerID, oldStage, nf.Stage, "", nf.RepID, now); err != nil {
				return fmt.Errorf("insert stage change: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return followup.FollowUp{}, err
	}
	return fu, nil
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
