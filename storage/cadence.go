package storage

import (
	"context"
	"time"

	"github.com/followuphq/followup"
)

// cadenceCTE is a WITH-clause item naming, for every customer still in play (not lost),
// its owner and team, the contact interval of its tier (the team's, else the default) and
// when the next contact is due: the last logged touch (or its creation) plus the interval.
// Reminders, escalations and digests all read cadence through it, so they agree.
const cadenceCTE = `cadence AS (
    SELECT c.id AS customer_id, c.code, c.name, c.tier, c.owner_id, p.team_id,
           COALESCE(c.last_touch_at, c.created_at) AS last_touch,
           make_interval(days => COALESCE(tc.every_days, tier_default_days(c.tier))) AS every,
           COALESCE(c.last_touch_at, c.created_at)
               + make_interval(days => COALESCE(tc.every_days, tier_default_days(c.tier))) AS next_due
    FROM customers c
    JOIN people p ON p.slack_id = c.owner_id
    LEFT JOIN tier_cadences tc ON tc.team_id = p.team_id AND tc.tier = c.tier
    WHERE c.stage <> 'lost'
)`

const findPastCadenceSQL = `
WITH ` + cadenceCTE + `
SELECT ` + customerColumns + `
FROM customers WHERE id IN (SELECT customer_id FROM cadence WHERE owner_id = $1 AND next_due <= $2)
ORDER BY last_touch_at NULLS FIRST, id
LIMIT $3`

// FindPastCadence returns a rep's customers whose next contact, by their tier cadence, is
// due by now, the longest-waiting first.
func (db *DB) FindPastCadence(ctx context.Context, ownerID string, now time.Time, limit int) ([]followup.Customer, error) {
	var rows []customerRow
	if err := db.db.SelectContext(ctx, &rows, findPastCadenceSQL, ownerID, now, limit); err != nil {
		return nil, mapError(err)
	}
	return customers(rows), nil
}
