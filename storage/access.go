package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

// visibleTo is followup.Allowed's SeeCustomer rule as a condition on customers c, for the
// queries that list customers (typeahead, quick logs, the DM conversation): all and viewer
// are the placeholders of followup.Visibility's fields (boolean, text). Who manages whom is
// read here, in the same statement, so the rule is applied to the teams as they are now.
// The permission matrix test (bot) holds the two to the same answers.
func visibleTo(all, viewer string) string {
	return fmt.Sprintf(`(%[1]s::boolean OR c.owner_id = %[2]s::text
    OR c.owner_id IN (SELECT p.slack_id FROM people p JOIN teams t ON t.id = p.team_id WHERE t.manager_id = %[2]s)
    OR EXISTS (SELECT 1 FROM customer_shares s WHERE s.customer_id = c.id AND s.slack_id = %[2]s))`, all, viewer)
}

const shareCustomerSQL = `
INSERT INTO customer_shares (customer_id, slack_id, shared_by, shared_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (customer_id, slack_id) DO NOTHING`

// ShareCustomer lets person see and work on the customer, as decided by the one who asked
// (by), and audits it. Sharing twice changes nothing.
func (db *DB) ShareCustomer(ctx context.Context, customerID int64, person, by string) error {
	return db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, shareCustomerSQL, customerID, person, by, now)
		if err != nil {
			return fmt.Errorf("share customer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return auditDetail(ctx, tx, now, by, followup.AuditShare, "customer", strconv.FormatInt(customerID, 10), "slack",
			map[string]string{"with": person})
	})
}

const customerSharesSQL = `SELECT slack_id FROM customer_shares WHERE customer_id = $1 ORDER BY slack_id`

// CustomerShares returns who the customer is shared with.
func (db *DB) CustomerShares(ctx context.Context, customerID int64) ([]string, error) {
	var ids []string
	if err := db.selectPrepared(ctx, &ids, customerSharesSQL, customerID); err != nil {
		return nil, err
	}
	return ids, nil
}
