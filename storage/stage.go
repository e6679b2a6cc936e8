package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

const lockCustomerSQL = `SELECT ` + customerColumns + ` FROM customers WHERE id = $1 FOR UPDATE`

const setStageSQL = `
UPDATE customers SET stage = $2, lost_reason = $3, updated_at = $4 WHERE id = $1
RETURNING ` + customerColumns

// correctLostReasonSQL changes the reason on the move that made the customer lost, when only
// the reason is corrected: a second row would count the same loss twice.
const correctLostReasonSQL = `
UPDATE stage_changes SET lost_reason = $2
WHERE id = (SELECT id FROM stage_changes WHERE customer_id = $1 AND to_stage = 'lost'
            ORDER BY changed_at DESC, id DESC LIMIT 1)`

// SetStage moves a customer along the funnel, as from the stage button on its card: the
// customer's stage and lost reason, the recorded move and the audit entry commit together.
// A move to the stage the customer is at changes nothing (changed is false), except that a
// lost customer's reason may be corrected, on the customer and on the move that lost it.
func (db *DB) SetStage(ctx context.Context, customerID int64, by string, m followup.StageMove) (c followup.Customer, changed bool, err error) {
	m.Normalize()
	if err := m.Validate(); err != nil {
		return c, false, err
	}
	err = db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		var row customerRow
		if err := tx.GetContext(ctx, &row, lockCustomerSQL, customerID); err != nil {
			if followup.ErrorCode(mapError(err)) == followup.ENOTFOUND {
				return followup.Errorf(followup.ENOTFOUND, "That customer no longer exists.")
			}
			return fmt.Errorf("lock customer: %w", err)
		}
		c = row.customer()
		if c.Stage == m.Stage && c.LostReason == string(m.Reason) {
			return nil
		}
		if err := tx.GetContext(ctx, &row, setStageSQL, customerID, m.Stage, m.Reason, now); err != nil {
			return fmt.Errorf("set stage: %w", err)
		}
		if c.Stage == m.Stage {
			if _, err := tx.ExecContext(ctx, correctLostReasonSQL, customerID, m.Reason); err != nil {
				return fmt.Errorf("correct lost reason: %w", err)
			}
		} else if _, err := tx.ExecContext(ctx, insertStageChangeSQL, customerID, c.Stage, m.Stage, m.Reason, by, now); err != nil {
			return fmt.Errorf("insert stage change: %w", err)
		}
		c, changed = row.customer(), true
		return audit(ctx, tx, now, by, "stage", "customer", customerID, "slack")
	})
	if err != nil {
		return followup.Customer{}, false, err
	}
	return c, changed, nil
}
