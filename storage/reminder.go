package storage

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

// actionWindow bounds how far back the action scan looks, so a pile of long-forgotten
// overdue actions does not make every run slower; a week covers any outage worth
// surviving.
const actionWindow = 7 * 24 * time.Hour

// enqueueActionRemindersSQL adds one outbox row per pending action that has come due. The
// de-dup key (action + due time) makes a second run, or a second replica, add nothing; a
// snoozed action gets a new due time and so a new reminder.
const enqueueActionRemindersSQL = `
INSERT INTO reminders (kind, dedup_key, recipient_id, action_id, customer_id, send_after, created_at)
SELECT 'action', 'action:' || a.id || ':' || extract(epoch FROM a.due_at)::bigint,
       a.owner_id, a.id, a.customer_id, a.due_at, $1
FROM next_actions a
WHERE a.status IN ('open', 'snoozed') AND a.due_at <= $1 AND a.due_at > $2
ON CONFLICT (dedup_key) DO NOTHING`

// EnqueueActionReminders puts a reminder in the outbox for every next action due by now.
func (db *DB) EnqueueActionReminders(ctx context.Context, now time.Time) (int, error) {
	return db.exec(ctx, enqueueActionRemindersSQL, now, now.Add(-actionWindow))
}

// enqueueCadenceRemindersSQL nudges the owner of every customer past its cadence, once per
// cadence period: the key holds the last touch and how many whole periods have passed, so
// a follow-up (a new last touch) starts over and a customer left alone is nudged again one
// period later, not every minute.
const enqueueCadenceRemindersSQL = `
WITH ` + cadenceCTE + `, due AS (
    SELECT *, floor(extract(epoch FROM $1 - next_due) / extract(epoch FROM every))::int AS period
    FROM cadence WHERE next_due <= $1
)
INSERT INTO reminders (kind, dedup_key, recipient_id, customer_id, send_after, created_at)
SELECT 'cadence', 'cadence:' || customer_id || ':' || extract(epoch FROM last_touch)::bigint || ':' || period,
       owner_id, customer_id, next_due + every * period, $1
FROM due
ON CONFLICT (dedup_key) DO NOTHING`

// EnqueueCadenceReminders nudges owners whose customers have passed their tier cadence.
func (db *DB) EnqueueCadenceReminders(ctx context.Context, now time.Time) (int, error) {
	return db.exec(ctx, enqueueCadenceRemindersSQL, now)
}

func (db *DB) exec(ctx context.Context, query string, args ...any) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sqlx.Tx, _ time.Time) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// DefaultClaimLease is how long a claim may stay unconfirmed before another sender takes
// the reminder over: a sender that died between claiming and sending must not lose it,
// and one still sending (Slack is slow, or rate limits it) must not be overtaken.
const DefaultClaimLease = 2 * time.Minute

// claimRemindersSQL takes up to $2 due reminders for this sender alone: SKIP LOCKED lets any
// number of replicas claim at once without waiting on, or taking, each other's rows. In
// the same statement, claims older than $3 go back to the queue (their sender died between
// claiming and sending); they are claimed again from the next claim on, which sees them
// pending. One statement is one round trip and one commit per batch.
const claimRemindersSQL = `
WITH released AS (
    UPDATE reminders SET status = 'pending', send_after = claimed_at
    WHERE status = 'sending' AND claimed_at < $3::timestamptz
), claimed AS (
    UPDATE reminders r SET status = 'sending', claimed_at = $1::timestamptz
    WHERE r.id IN (
        SELECT id FROM reminders
        WHERE status = 'pending' AND send_after <= $1
        ORDER BY send_after, id
        LIMIT $2::int
        FOR UPDATE SKIP LOCKED)
    RETURNING r.*
)
SELECT r.id, r.kind, r.dedup_key, r.recipient_id, r.send_after, r.attempts, r.status,
       a.id AS action_id, a.text AS action_text, a.due_at AS action_due_at, a.status AS action_status,
       a.created_at AS action_created_at, a.owner_id AS action_owner_id,
       c.id AS customer_id, c.code AS customer_code, c.name AS customer_name, c.tier AS customer_tier,
       c.owner_id AS customer_owner_id, c.stage AS customer_stage, c.last_touch_at AS customer_last_touch_at,
       f.happened_at AS last_happened_at, f.method AS last_method, f.summary AS last_summary,
       k.id AS complaint_id, k.received_at AS complaint_received_at, k.content AS complaint_content,
       k.handler_id AS complaint_handler_id, k.status AS complaint_status, k.due_at AS complaint_due_at,
       k.started_at AS complaint_started_at
FROM claimed r
LEFT JOIN next_actions a ON a.id = r.action_id
LEFT JOIN complaints k ON k.id = r.complaint_id
LEFT JOIN customers c ON c.id = COALESCE(r.customer_id, a.customer_id)
LEFT JOIN LATERAL (
    SELECT happened_at, method, summary FROM follow_ups
    WHERE customer_id = c.id ORDER BY happened_at DESC, id DESC LIMIT 1
) f ON true
ORDER BY r.recipient_id, r.send_after, r.id`

type claimedRow struct {
	ID          int64     `db:"id"`
	Kind        string    `db:"kind"`
	DedupKey    string    `db:"dedup_key"`
	RecipientID string    `db:"recipient_id"`
	SendAfter   time.Time `db:"send_after"`
	Attempts    int       `db:"attempts"`
	Status      string    `db:"status"`

	ActionID        sql.NullInt64  `db:"action_id"`
	ActionText      sql.NullString `db:"action_text"`
	ActionDueAt     sql.NullTime   `db:"action_due_at"`
	ActionStatus    sql.NullString `db:"action_status"`
	ActionCreatedAt sql.NullTime   `db:"action_created_at"`
	ActionOwnerID   sql.NullString `db:"action_owner_id"`

	CustomerID        sql.NullInt64  `db:"customer_id"`
	CustomerCode      sql.NullString `db:"customer_code"`
	CustomerName      sql.NullString `db:"customer_name"`
	CustomerTier      sql.NullString `db:"customer_tier"`
	CustomerOwnerID   sql.NullString `db:"customer_owner_id"`
	CustomerStage     sql.NullString `db:"customer_stage"`
	CustomerLastTouch sql.NullTime   `db:"customer_last_touch_at"`

	LastHappenedAt sql.NullTime   `db:"last_happened_at"`
	LastMethod     sql.NullString `db:"last_method"`
	LastSummary    sql.NullString `db:"last_summary"`

	ComplaintID         sql.NullInt64  `db:"complaint_id"`
	ComplaintReceivedAt sql.NullTime   `db:"complaint_received_at"`
	ComplaintContent    sql.NullString `db:"complaint_content"`
	ComplaintHandlerID  sql.NullString `db:"complaint_handler_id"`
	ComplaintStatus     sql.NullString `db:"complaint_status"`
	ComplaintDueAt      sql.NullTime   `db:"complaint_due_at"`
	ComplaintStartedAt  sql.NullTime   `db:"complaint_started_at"`
}

func (r claimedRow) reminder() followup.Reminder {
	rem := followup.Reminder{
		ID: r.ID, Kind: followup.ReminderKind(r.Kind), DedupKey: r.DedupKey, RecipientID: r.RecipientID,
		SendAfter: r.SendAfter, Attempts: r.Attempts, Status: followup.ReminderStatus(r.Status),
		Customer: followup.Customer{
			ID: r.CustomerID.Int64, Code: r.CustomerCode.String, Name: r.CustomerName.String,
			Tier: followup.Tier(r.CustomerTier.String), OwnerID: r.CustomerOwnerID.String,
			Stage: followup.Stage(r.CustomerStage.String), LastTouchAt: nullTime(r.CustomerLastTouch),
		},
		OwnerID: r.CustomerOwnerID.String,
	}
	if r.ActionID.Valid {
		rem.Action = &followup.NextAction{
			ID: r.ActionID.Int64, CustomerID: r.CustomerID.Int64, CustomerCode: r.CustomerCode.String,
			CustomerName: r.CustomerName.String, OwnerID: r.ActionOwnerID.String, Text: r.ActionText.String,
			DueAt: r.ActionDueAt.Time, Status: followup.ActionStatus(r.ActionStatus.String), CreatedAt: r.ActionCreatedAt.Time,
		}
		rem.OwnerID = r.ActionOwnerID.String
	}
	if r.ComplaintID.Valid {
		rem.Complaint = &followup.Complaint{
			ID: r.ComplaintID.Int64, CustomerID: r.CustomerID.Int64, CustomerCode: r.CustomerCode.String,
			CustomerName: r.CustomerName.String, OwnerID: r.CustomerOwnerID.String,
			ReceivedAt: r.ComplaintReceivedAt.Time, Content: r.ComplaintContent.String,
			HandlerID: r.ComplaintHandlerID.String, Status: followup.ComplaintStatus(r.ComplaintStatus.String),
			DueAt: nullTime(r.ComplaintDueAt), StartedAt: nullTime(r.ComplaintStartedAt),
		}
	}
	if r.LastHappenedAt.Valid {
		rem.LastFollowUp = &followup.FollowUp{
			CustomerID: r.CustomerID.Int64, HappenedAt: r.LastHappenedAt.Time,
			Method: followup.Method(r.LastMethod.String), Summary: r.LastSummary.String,
		}
	}
	return rem
}

// ClaimReminders takes up to limit due reminders for this sender, returning to the queue
// any claim whose sender went quiet for longer than the lease. Each reminder comes with
// what its message needs (the action, the customer, the last follow-up).
func (db *DB) ClaimReminders(ctx context.Context, now time.Time, limit int) ([]followup.Reminder, error) {
	var rows []claimedRow
	if err := db.selectPrepared(ctx, &rows, claimRemindersSQL, now, limit, now.Add(-db.claimLease)); err != nil {
		return nil, err
	}
	out := make([]followup.Reminder, len(rows))
	for i, r := range rows {
		out[i] = r.reminder()
	}
	return out, nil
}

const markRemindersSentSQL = `
UPDATE reminders SET status = 'sent', sent_at = $2, channel_id = $3, message_ts = $4
WHERE id = ANY($1) AND status = 'sending'`

// MarkRemindersSent records that the reminders reached Slack in the given message.
func (db *DB) MarkRemindersSent(ctx context.Context, ids []int64, now time.Time, channel, ts string) error {
	_, err := db.exec(ctx, markRemindersSentSQL, pq.Array(ids), now, channel, ts)
	return err
}

const deferRemindersSQL = `
UPDATE reminders SET status = 'pending', send_after = $2
WHERE id = ANY($1) AND status = 'sending'`

// DeferReminders puts claimed reminders back until a later moment (outside working hours,
// or a rate limit) without counting a failed attempt.
func (db *DB) DeferReminders(ctx context.Context, ids []int64, until time.Time) error {
	_, err := db.exec(ctx, deferRemindersSQL, pq.Array(ids), until)
	return err
}

// failRemindersSQL counts a failed attempt: the reminder goes back to pending until retry,
// or ends failed, visibly, once it has used maxAttempts.
const failRemindersSQL = `
UPDATE reminders SET
    attempts = attempts + 1,
    last_error = left($3, 500),
    status = CASE WHEN attempts + 1 >= $4 THEN 'failed' ELSE 'pending' END,
    send_after = $2
WHERE id = ANY($1) AND status = 'sending'`

// FailReminders records a failed send; after maxAttempts the reminders end as failed.
func (db *DB) FailReminders(ctx context.Context, ids []int64, retryAt time.Time, reason string, maxAttempts int) error {
	_, err := db.exec(ctx, failRemindersSQL, pq.Array(ids), retryAt, reason, maxAttempts)
	return err
}

const cancelRemindersSQL = `UPDATE reminders SET status = 'cancelled' WHERE id = ANY($1) AND status = 'sending'`

// CancelReminders drops claimed reminders that no longer apply (the action was done).
func (db *DB) CancelReminders(ctx context.Context, ids []int64) error {
	_, err := db.exec(ctx, cancelRemindersSQL, pq.Array(ids))
	return err
}

// ReminderCounts returns how many reminders are in each status, for metrics and tests.
func (db *DB) ReminderCounts(ctx context.Context) (map[followup.ReminderStatus]int, error) {
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := db.db.SelectContext(ctx, &rows, `SELECT status, count(*) AS n FROM reminders GROUP BY status`); err != nil {
		return nil, mapError(err)
	}
	out := map[followup.ReminderStatus]int{}
	for _, r := range rows {
		out[followup.ReminderStatus(r.Status)] = r.N
	}
	return out, nil
}

const enqueueDigestSQL = `
INSERT INTO reminders (kind, dedup_key, recipient_id, send_after, created_at)
VALUES ('digest', $1, $2, $3, $3)
ON CONFLICT (dedup_key) DO NOTHING`

// EnqueueDigest puts a manager's digest in the outbox under key, so replicas whose cron
// fires together send it once.
func (db *DB) EnqueueDigest(ctx context.Context, key, recipientID string, now time.Time) (bool, error) {
	n, err := db.exec(ctx, enqueueDigestSQL, key, recipientID, now)
	return n == 1, err
}

// CountPendingReminders counts the outbox rows waiting to be sent.
func (db *DB) CountPendingReminders(ctx context.Context) (int, error) {
	var n int
	err := db.db.GetContext(ctx, &n, `SELECT count(*) FROM reminders WHERE status = 'pending'`)
	return n, mapError(err)
}
