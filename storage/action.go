package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

type actionRow struct {
	ID           int64         `db:"id"`
	CustomerID   int64         `db:"customer_id"`
	CustomerCode string        `db:"customer_code"`
	CustomerName string        `db:"customer_name"`
	FollowUpID   sql.NullInt64 `db:"follow_up_id"`
	OwnerID      string        `db:"owner_id"`
	Text         string        `db:"text"`
	DueAt        time.Time     `db:"due_at"`
	Status       string        `db:"status"`
	CreatedAt    time.Time     `db:"created_at"`
	DoneAt       sql.NullTime  `db:"done_at"`
}

// actionColumns leaves the customer's code and name empty; queries that show actions join
// customers and select them explicitly.
const actionColumns = `id, customer_id, '' AS customer_code, '' AS customer_name, follow_up_id, owner_id, text, due_at, status, created_at, done_at`

const actionWithCustomerColumns = `a.id, a.customer_id, c.code AS customer_code, c.name AS customer_name,
    a.follow_up_id, a.owner_id, a.text, a.due_at, a.status, a.created_at, a.done_at`

func (r actionRow) action() followup.NextAction {
	return followup.NextAction{
		ID: r.ID, CustomerID: r.CustomerID, CustomerCode: r.CustomerCode, CustomerName: r.CustomerName,
		FollowUpID: r.FollowUpID.Int64, OwnerID: r.OwnerID, Text: r.Text, DueAt: r.DueAt,
		Status: followup.ActionStatus(r.Status), CreatedAt: r.CreatedAt, DoneAt: nullTime(r.DoneAt),
	}
}

func actions(rows []actionRow) []followup.NextAction {
	out := make([]followup.NextAction, len(rows))
	for i, r := range rows {
		out[i] = r.action()
	}
	return out
}

const findPendingActionsByOwnerSQL = `
SELECT ` + actionWithCustomerColumns + `
FROM next_actions a JOIN customers c ON c.id = a.customer_id
WHERE a.owner_id = $1 AND a.status IN ('open', 'snoozed')
ORDER BY a.due_at, a.id
LIMIT $2`

// FindPendingActions returns a person's open and snoozed actions, soonest due first.
func (db *DB) FindPendingActions(ctx context.Context, ownerID string, limit int) ([]followup.NextAction, error) {
	var rows []actionRow
	if err := db.selectPrepared(ctx, &rows, findPendingActionsByOwnerSQL, ownerID, limit); err != nil {
		return nil, err
	}
	return actions(rows), nil
}

const findCustomerPendingActionsSQL = `
SELECT ` + actionWithCustomerColumns + `
FROM next_actions a JOIN customers c ON c.id = a.customer_id
WHERE a.customer_id = $1 AND a.status IN ('open', 'snoozed')
ORDER BY a.due_at, a.id`

// FindCustomerPendingActions returns a customer's open and snoozed actions.
func (db *DB) FindCustomerPendingActions(ctx context.Context, customerID int64) ([]followup.NextAction, error) {
	var rows []actionRow
	if err := db.db.SelectContext(ctx, &rows, findCustomerPendingActionsSQL, customerID); err != nil {
		return nil, mapError(err)
	}
	return actions(rows), nil
}

const insertStandaloneActionSQL = `
INSERT INTO next_actions (customer_id, follow_up_id, owner_id, text, due_at, created_at, updated_at)
VALUES ($1, NULLIF($2, 0), $3, $4, $5, $6, $6)
RETURNING ` + actionColumns

// CreateAction adds a next step to a customer, tied to the follow-up it came from when
// followUpID is not zero.
func (db *DB) CreateAction(ctx context.Context, customerID, followUpID int64, a followup.NewAction) (followup.NextAction, error) {
	var row actionRow
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		return tx.GetContext(ctx, &row, insertStandaloneActionSQL, customerID, followUpID, a.OwnerID, a.Text, a.DueAt, now)
	})
	return row.action(), err
}

const findActionSQL = `
SELECT ` + actionWithCustomerColumns + `
FROM next_actions a JOIN customers c ON c.id = a.customer_id
WHERE a.id = $1`

// FindAction returns the action with the id, or ENOTFOUND.
func (db *DB) FindAction(ctx context.Context, id int64) (followup.NextAction, error) {
	var row actionRow
	if err := db.db.GetContext(ctx, &row, findActionSQL, id); err != nil {
		return followup.NextAction{}, mapError(err)
	}
	return row.action(), nil
}

// updateActionSQL changes a pending action and returns it with its customer; a done or
// cancelled action is left alone (no row), so a late second press changes nothing.
const updateActionSQL = `
WITH changed AS (
    UPDATE next_actions SET
        status = $2,
        due_at = COALESCE($3, due_at),
        owner_id = COALESCE(NULLIF($4, ''), owner_id),
        done_at = CASE WHEN $2 = 'done' THEN $5::timestamptz END,
        updated_at = $5
    WHERE id = $1 AND status IN ('open', 'snoozed')
    RETURNING *
)
SELECT a.id, a.customer_id, c.code AS customer_code, c.name AS customer_name,
    a.follow_up_id, a.owner_id, a.text, a.due_at, a.status, a.created_at, a.done_at
FROM changed a JOIN customers c ON c.id = a.customer_id`

// CompleteAction marks a pending action done. An action already done or cancelled is an
// EINVALID error saying so.
func (db *DB) CompleteAction(ctx context.Context, id int64, by string) (followup.NextAction, error) {
	return db.updateAction(ctx, id, by, "complete", followup.ActionDone, nil, "")
}

// SnoozeAction moves a pending action's due time; it will be reminded again then.
func (db *DB) SnoozeAction(ctx context.Context, id int64, by string, until time.Time) (followup.NextAction, error) {
	return db.updateAction(ctx, id, by, "snooze", followup.ActionSnoozed, &until, "")
}

// ReassignAction gives a pending action to another owner.
func (db *DB) ReassignAction(ctx context.Context, id int64, by, to string) (followup.NextAction, error) {
	return db.updateAction(ctx, id, by, "reassign", followup.ActionOpen, nil, to)
}

func (db *DB) updateAction(ctx context.Context, id int64, by, verb string, status followup.ActionStatus, due *time.Time, owner string) (followup.NextAction, error) {
	var row actionRow
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		if err := tx.GetContext(ctx, &row, updateActionSQL, id, status, due, owner, now); err != nil {
			if followup.ErrorCode(mapError(err)) == followup.ENOTFOUND {
				return followup.Errorf(followup.EINVALID, "That next step is already closed.")
			}
			return fmt.Errorf("%s action: %w", verb, err)
		}
		return audit(ctx, tx, now, by, verb, "next_action", id, "slack")
	})
	return row.action(), err
}
