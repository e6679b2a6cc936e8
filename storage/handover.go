package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

const lockPersonSQL = `SELECT slack_id FROM people WHERE slack_id = $1 FOR UPDATE`

// handOverRemindersSQL readdresses the pending reminders the departing owner would get about
// what moves: the next steps they own and the customers they own. A reminder's de-dup key
// names what it is about (an action and its due time, a customer and its cadence period),
// not whom it goes to, so readdressing keeps each reminder existing once; cancelling and
// re-creating it would collide with its own key. Reminders already claimed by a sender
// (sending) are on their way and left to it; sent ones are history.
const handOverRemindersSQL = `
UPDATE reminders SET recipient_id = $2
WHERE status = 'pending' AND recipient_id = $1 AND kind IN ('action', 'cadence')
  AND (action_id IN (SELECT id FROM next_actions WHERE owner_id = $1 AND status IN ('open', 'snoozed'))
       OR kind = 'cadence' AND customer_id IN (SELECT id FROM customers WHERE owner_id = $1))`

const handOverCustomersSQL = `UPDATE customers SET owner_id = $2, updated_at = $3 WHERE owner_id = $1`

const handOverActionsSQL = `
UPDATE next_actions SET owner_id = $2, updated_at = $3
WHERE owner_id = $1 AND status IN ('open', 'snoozed')`

// HandOver gives every customer of from, and every open or snoozed next step from owns, to
// to, readdresses their pending reminders, and records it in the audit log, in one
// transaction: all of it happens, or none. from must be known; a to unknown to followup is
// ENOTFOUND and moves nothing.
func (db *DB) HandOver(ctx context.Context, by, from, to string) (followup.HandOver, error) {
	h := followup.HandOver{FromID: from, ToID: to}
	if from == to {
		return h, followup.Errorf(followup.EINVALID, "Hand the customers over to someone else.")
	}
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		var id string
		if err := tx.GetContext(ctx, &id, lockPersonSQL, from); err != nil {
			if followup.ErrorCode(mapError(err)) == followup.ENOTFOUND {
				return followup.Errorf(followup.ENOTFOUND, "followup does not know the person handing over.")
			}
			return fmt.Errorf("lock person: %w", err)
		}
		steps := []struct {
			query string
			args  []any
			n     *int
		}{
			{handOverRemindersSQL, []any{from, to}, &h.Reminders},
			{handOverCustomersSQL, []any{from, to, now}, &h.Customers},
			{handOverActionsSQL, []any{from, to, now}, &h.Actions},
		}
		for _, s := range steps {
			res, err := tx.ExecContext(ctx, s.query, s.args...)
			if err != nil {
				var pqErr *pq.Error
				if errors.As(err, &pqErr) && pqErr.Code == "23503" { // foreign key: to is nobody
					return fmt.Errorf("%w: %w", followup.Errorf(followup.ENOTFOUND, "followup does not know the new owner."), err)
				}
				return fmt.Errorf("hand over: %w", err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return fmt.Errorf("hand over: %w", err)
			}
			*s.n = int(n)
		}
		return auditDetail(ctx, tx, now, by, "handover", "person", from, "slack", map[string]any{
			"to": to, "customers": h.Customers, "actions": h.Actions, "reminders": h.Reminders,
		})
	})
	if err != nil {
		return followup.HandOver{FromID: from, ToID: to}, err
	}
	return h, nil
}
