package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

// findOverdueForEscalationSQL lists pending actions overdue since before $1 (a cheap
// calendar-day bound; the caller applies working days) that were not escalated yet and
// whose owner's team has a manager other than the owner.
const findOverdueForEscalationSQL = `
SELECT ` + actionWithCustomerColumns + `, t.manager_id
FROM next_actions a
JOIN customers c ON c.id = a.customer_id
JOIN people p ON p.slack_id = a.owner_id
JOIN teams t ON t.id = p.team_id
WHERE a.status IN ('open', 'snoozed') AND a.due_at <= $1 AND a.due_at > $2
  AND t.manager_id IS NOT NULL AND t.manager_id <> a.owner_id
  AND NOT EXISTS (SELECT 1 FROM reminders r
                  WHERE r.dedup_key = 'escalate:action:' || a.id || ':' || extract(epoch FROM a.due_at)::bigint)
ORDER BY a.due_at
LIMIT 1000`

// FindActionEscalations returns pending actions due before overdueSince that could be
// escalated to the owner's manager.
func (db *DB) FindActionEscalations(ctx context.Context, overdueSince time.Time) ([]followup.ActionEscalation, error) {
	var rows []struct {
		actionRow
		ManagerID string `db:"manager_id"`
	}
	err := db.db.SelectContext(ctx, &rows, findOverdueForEscalationSQL, overdueSince, overdueSince.Add(-actionWindow*4))
	if err != nil {
		return nil, mapError(err)
	}
	out := make([]followup.ActionEscalation, len(rows))
	for i, r := range rows {
		out[i] = followup.ActionEscalation{Action: r.action(), ManagerID: r.ManagerID}
	}
	return out, nil
}

const enqueueActionEscalationSQL = `
INSERT INTO reminders (kind, dedup_key, recipient_id, action_id, customer_id, send_after, created_at)
VALUES ('escalation_action', 'escalate:action:' || $1::bigint || ':' || extract(epoch FROM $2::timestamptz)::bigint, $3, $1, $4, $5, $5)
ON CONFLICT (dedup_key) DO NOTHING`

// EnqueueActionEscalation puts an escalation of the action to the manager in the outbox,
// once per action and due time.
func (db *DB) EnqueueActionEscalation(ctx context.Context, e followup.ActionEscalation, now time.Time) error {
	_, err := db.exec(ctx, enqueueActionEscalationSQL, e.Action.ID, e.Action.DueAt, e.ManagerID, e.Action.CustomerID, now)
	return err
}

// enqueueCadenceEscalationsSQL tells a manager about customers left alone for $2 times
// their cadence, once per customer and last touch.
const enqueueCadenceEscalationsSQL = `
WITH ` + cadenceCTE + `
INSERT INTO reminders (kind, dedup_key, recipient_id, customer_id, send_after, created_at)
SELECT 'escalation_cadence', 'escalate:cadence:' || cad.customer_id || ':' || extract(epoch FROM cad.last_touch)::bigint,
       t.manager_id, cad.customer_id, $1, $1
FROM cadence cad
JOIN teams t ON t.id = cad.team_id
WHERE cad.last_touch + cad.every * $2::float8 <= $1
  AND t.manager_id IS NOT NULL AND t.manager_id <> cad.owner_id
ON CONFLICT (dedup_key) DO NOTHING`

// flagChurnRiskSQL marks customers left alone for $2 times their cadence as churn risks.
const flagChurnRiskSQL = `
WITH ` + cadenceCTE + `
UPDATE customers c SET churn_risk = true, updated_at = $1
FROM cadence cad
WHERE c.id = cad.customer_id AND NOT c.churn_risk AND cad.last_touch + cad.every * $2::float8 <= $1`

// EscalateCadence enqueues manager escalations for customers past escalateFactor × their
// cadence and flags those past churnFactor × it as churn risks, in one transaction.
func (db *DB) EscalateCadence(ctx context.Context, now time.Time, escalateFactor, churnFactor float64) (escalated, flagged int, err error) {
	err = db.inTx(ctx, func(tx *sqlx.Tx, _ time.Time) error {
		res, err := tx.ExecContext(ctx, enqueueCadenceEscalationsSQL, now, escalateFactor)
		if err != nil {
			return fmt.Errorf("cadence escalations: %w", err)
		}
		n, _ := res.RowsAffected()
		escalated = int(n)
		if res, err = tx.ExecContext(ctx, flagChurnRiskSQL, now, churnFactor); err != nil {
			return fmt.Errorf("flag churn risk: %w", err)
		}
		n, _ = res.RowsAffected()
		flagged = int(n)
		return nil
	})
	return escalated, flagged, err
}

const findScheduleSettingsSQL = `
SELECT COALESCE(t.timezone, '') AS team_timezone,
       COALESCE(p.work_hours, t.work_hours, '') AS work_hours,
       COALESCE(p.work_days, t.work_days, '') AS work_days,
       COALESCE(t.calendar, '') AS calendar
FROM people p LEFT JOIN teams t ON t.id = p.team_id
WHERE p.slack_id = $1`

// FindScheduleSettings returns the overrides a person and their team set on when reminders
// reach them.
func (db *DB) FindScheduleSettings(ctx context.Context, slackID string) (followup.ScheduleSettings, error) {
	var row struct {
		TeamTimezone string `db:"team_timezone"`
		WorkHours    string `db:"work_hours"`
		WorkDays     string `db:"work_days"`
		Calendar     string `db:"calendar"`
	}
	if err := db.db.GetContext(ctx, &row, findScheduleSettingsSQL, slackID); err != nil {
		return followup.ScheduleSettings{}, mapError(err)
	}
	return followup.ScheduleSettings(row), nil
}
