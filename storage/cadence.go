package storage

import (
	"context"
	"strings"
	"time"

	"github.com/followuphq/followup"
)

// The cadence rule in SQL, in pieces so that every query that needs it states it the same
// way: a customer still in play (not lost) is due for contact at its last logged touch (or
// its creation) plus the contact interval of its tier, the owner's team's interval if the
// team set one, else the default. Reminders, escalations, digests and the Home tab all read
// cadence through these, so they agree.
const (
	// cadenceFrom is the customers (as c) with what their interval depends on.
	cadenceFrom = `customers c
    JOIN people p ON p.slack_id = c.owner_id
    LEFT JOIN tier_cadences tc ON tc.team_id = p.team_id AND tc.tier = c.tier`
	// lastTouchExpr is when the cadence clock last started. It is deliberately not
	// indexed: a follow-up moves it, and an index on it would turn every such update from
	// in-place (HOT) into one that rewrites all of the customer's index entries.
	lastTouchExpr = `COALESCE(c.last_touch_at, c.created_at)`
	everyExpr     = `make_interval(days => COALESCE(tc.every_days, tier_default_days(c.tier)))`
	nextDueExpr   = lastTouchExpr + ` + ` + everyExpr
)

// cadenceCTE is a WITH-clause item naming, for every customer in play, its owner and team,
// the contact interval of its tier and when the next contact is due.
const cadenceCTE = `cadence AS (
    SELECT c.id AS customer_id, c.code, c.name, c.tier, c.owner_id, p.team_id,
           ` + lastTouchExpr + ` AS last_touch,
           ` + everyExpr + ` AS every,
           ` + nextDueExpr + ` AS next_due
    FROM ` + cadenceFrom + `
    WHERE c.stage <> 'lost'
)`

// findPastCadenceSQL reads the owner's customers in play (customers_owner_idx) and keeps
// the longest untouched of those past their cadence: a top-N sort of a rep's book.
var findPastCadenceSQL = `
SELECT ` + qualify("c", customerColumns) + `
FROM ` + cadenceFrom + `
WHERE c.owner_id = $1::text AND c.stage <> 'lost' AND ` + nextDueExpr + ` <= $2::timestamptz
ORDER BY ` + lastTouchExpr + `, c.id
LIMIT $3::int`

// FindPastCadence returns a rep's customers whose next contact, by their tier cadence, is
// due by now, the longest untouched first.
func (db *DB) FindPastCadence(ctx context.Context, ownerID string, now time.Time, limit int) ([]followup.Customer, error) {
	var rows []customerRow
	if err := db.selectPrepared(ctx, &rows, findPastCadenceSQL, ownerID, now, limit); err != nil {
		return nil, err
	}
	return customers(rows), nil
}

// qualify prefixes each column of a comma-separated list with the table alias, for queries
// that join tables sharing column names.
func qualify(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
