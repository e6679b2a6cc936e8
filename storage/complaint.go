package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

type complaintRow struct {
	ID           int64        `db:"id"`
	CustomerID   int64        `db:"customer_id"`
	CustomerCode string       `db:"customer_code"`
	CustomerName string       `db:"customer_name"`
	OwnerID      string       `db:"owner_id"`
	ReceivedAt   time.Time    `db:"received_at"`
	Content      string       `db:"content"`
	HandlerID    string       `db:"handler_id"`
	Status       string       `db:"status"`
	Resolution   string       `db:"resolution"`
	DueAt        sql.NullTime `db:"due_at"`
	StartedAt    sql.NullTime `db:"started_at"`
	ResolvedAt   sql.NullTime `db:"resolved_at"`
	ResolvedBy   string       `db:"resolved_by"`
	Satisfied    sql.NullBool `db:"satisfied"`
	CreatedBy    string       `db:"created_by"`
	CreatedAt    time.Time    `db:"created_at"`
}

// complaintColumns reads a complaint (as k) with its customer (as c).
const complaintColumns = `k.id, k.customer_id, c.code AS customer_code, c.name AS customer_name, c.owner_id,
    k.received_at, k.content, COALESCE(k.handler_id, '') AS handler_id, k.status, k.resolution,
    k.due_at, k.started_at, k.resolved_at, k.resolved_by, k.satisfied, k.created_by, k.created_at`

func (r complaintRow) complaint() followup.Complaint {
	c := followup.Complaint{
		ID: r.ID, CustomerID: r.CustomerID, CustomerCode: r.CustomerCode, CustomerName: r.CustomerName,
		OwnerID: r.OwnerID, ReceivedAt: r.ReceivedAt, Content: r.Content, HandlerID: r.HandlerID,
		Status: followup.ComplaintStatus(r.Status), Resolution: r.Resolution, DueAt: nullTime(r.DueAt),
		StartedAt: nullTime(r.StartedAt), ResolvedAt: nullTime(r.ResolvedAt), ResolvedBy: r.ResolvedBy, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
	}
	if r.Satisfied.Valid {
		v := r.Satisfied.Bool
		c.Satisfied = &v
	}
	return c
}

// insertComplaintSQL files a complaint against a customer that exists (no row otherwise)
// and returns it with its customer.
const insertComplaintSQL = `
WITH k AS (
    INSERT INTO complaints (customer_id, received_at, content, handler_id, due_at, created_by, created_at, updated_at)
    SELECT id, $2, $3, $4, $5, $6, $7, $7 FROM customers WHERE id = $1
    RETURNING *
)
SELECT ` + complaintColumns + ` FROM k JOIN customers c ON c.id = k.customer_id`

// CreateComplaint files a complaint with its handler and deadline. A customer deleted
// meanwhile is a field error on "customer".
func (db *DB) CreateComplaint(ctx context.Context, nc followup.NewComplaint) (followup.Complaint, error) {
	var row complaintRow
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		err := tx.GetContext(ctx, &row, insertComplaintSQL, nc.CustomerID, nc.ReceivedAt, nc.Content, nc.HandlerID, nc.DueAt, nc.CreatedBy, now)
		if errors.Is(err, sql.ErrNoRows) {
			return followup.FieldErrors{"customer": "That customer no longer exists."}
		}
		if err != nil {
			return fmt.Errorf("insert complaint: %w", err)
		}
		return audit(ctx, tx, now, nc.CreatedBy, "create", "complaint", row.ID, "slack")
	})
	return row.complaint(), err
}

const findComplaintSQL = `
SELECT ` + complaintColumns + ` FROM complaints k JOIN customers c ON c.id = k.customer_id
WHERE k.id = $1`

// FindComplaint returns the complaint with the id, or ENOTFOUND.
func (db *DB) FindComplaint(ctx context.Context, id int64) (followup.Complaint, error) {
	var row complaintRow
	if err := db.db.GetContext(ctx, &row, findComplaintSQL, id); err != nil {
		return followup.Complaint{}, mapError(err)
	}
	return row.complaint(), nil
}

// findCustomerComplaintsSQL lists a customer's complaints, the open ones first, then the
// most recently received.
const findCustomerComplaintsSQL = `
SELECT ` + complaintColumns + ` FROM complaints k JOIN customers c ON c.id = k.customer_id
WHERE k.customer_id = $1
ORDER BY k.status = 'resolved', k.received_at DESC, k.id DESC
LIMIT $2`

// FindCustomerComplaints returns up to limit of a customer's complaints, open ones first.
func (db *DB) FindCustomerComplaints(ctx context.Context, customerID int64, limit int) ([]followup.Complaint, error) {
	return selectAll(ctx, db, complaintRow.complaint, findCustomerComplaintsSQL, customerID, limit)
}

// findHandlerComplaintsSQL lists the open complaints someone handles, the soonest due
// first (complaints_open_handler_idx).
const findHandlerComplaintsSQL = `
SELECT ` + complaintColumns + ` FROM complaints k JOIN customers c ON c.id = k.customer_id
WHERE k.handler_id = $1 AND k.status <> 'resolved'
ORDER BY k.due_at NULLS LAST, k.id
LIMIT $2`

// FindHandlerComplaints returns up to limit open complaints the person handles, soonest
// due first.
func (db *DB) FindHandlerComplaints(ctx context.Context, handlerID string, limit int) ([]followup.Complaint, error) {
	return selectAll(ctx, db, complaintRow.complaint, findHandlerComplaintsSQL, handlerID, limit)
}

// startComplaintSQL marks an open complaint in progress; a resolved one is left alone (no
// row). Pressing Start twice keeps the first start.
const startComplaintSQL = `
WITH k AS (
    UPDATE complaints SET status = 'in_progress', started_at = COALESCE(started_at, $2), updated_at = $2
    WHERE id = $1 AND status <> 'resolved'
    RETURNING *
)
SELECT ` + complaintColumns + ` FROM k JOIN customers c ON c.id = k.customer_id`

// StartComplaint records that the handler started on the complaint. A resolved complaint
// is an EINVALID error saying so.
func (db *DB) StartComplaint(ctx context.Context, id int64, by string) (followup.Complaint, error) {
	return db.changeComplaint(ctx, id, by, "start", startComplaintSQL, nil, id)
}

// resolveComplaintSQL closes an open complaint with its resolution.
const resolveComplaintSQL = `
WITH k AS (
    UPDATE complaints SET status = 'resolved', resolution = $3, satisfied = $4, resolved_by = $5,
        resolved_at = $2, updated_at = $2
    WHERE id = $1 AND status <> 'resolved'
    RETURNING *
)
SELECT ` + complaintColumns + ` FROM k JOIN customers c ON c.id = k.customer_id`

// cancelComplaintRemindersSQL drops the reminders and escalations of a complaint that are
// still waiting: once it is resolved nobody needs to hear of its deadline.
const cancelComplaintRemindersSQL = `
UPDATE reminders SET status = 'cancelled' WHERE complaint_id = $1 AND status = 'pending'`

// ResolveComplaint closes an open complaint and cancels its pending reminders, in one
// transaction. A complaint resolved already is an EINVALID error saying so.
func (db *DB) ResolveComplaint(ctx context.Context, id int64, r followup.ComplaintResolution) (followup.Complaint, error) {
	cancel := func(ctx context.Context, tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, cancelComplaintRemindersSQL, id); err != nil {
			return fmt.Errorf("cancel complaint reminders: %w", err)
		}
		return nil
	}
	return db.changeComplaint(ctx, id, r.By, "resolve", resolveComplaintSQL, cancel, id, r.Resolution, r.Satisfied, r.By)
}

// reassignComplaintSQL gives an open complaint to another handler.
const reassignComplaintSQL = `
WITH k AS (
    UPDATE complaints SET handler_id = $3, updated_at = $2 WHERE id = $1 AND status <> 'resolved'
    RETURNING *
)
SELECT ` + complaintColumns + ` FROM k JOIN customers c ON c.id = k.customer_id`

// moveComplaintRemindersSQL sends a complaint's waiting deadline reminder to its new
// handler; escalations stay with the manager.
const moveComplaintRemindersSQL = `
UPDATE reminders SET recipient_id = $2
WHERE complaint_id = $1 AND kind = 'complaint' AND status = 'pending'`

// ReassignComplaint gives an open complaint, and its waiting deadline reminder, to another
// handler in one transaction.
func (db *DB) ReassignComplaint(ctx context.Context, id int64, by, to string) (followup.Complaint, error) {
	move := func(ctx context.Context, tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, moveComplaintRemindersSQL, id, to); err != nil {
			return fmt.Errorf("move complaint reminders: %w", err)
		}
		return nil
	}
	return db.changeComplaint(ctx, id, by, "reassign", reassignComplaintSQL, move, id, to)
}

// changeComplaint runs one of the statements above ($1 the id, $2 now, then args after the
// id), then also (if not nil), and audits the change, in one transaction. No row means the
// complaint is resolved already, or gone.
func (db *DB) changeComplaint(ctx context.Context, id int64, by, verb, query string,
	also func(context.Context, *sqlx.Tx) error, args ...any) (followup.Complaint, error) {
	var row complaintRow
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		params := append([]any{args[0], now}, args[1:]...)
		err := tx.GetContext(ctx, &row, query, params...)
		if errors.Is(err, sql.ErrNoRows) {
			return complaintClosedOrGone(ctx, tx, id)
		}
		if err != nil {
			return fmt.Errorf("%s complaint: %w", verb, err)
		}
		if also != nil {
			if err := also(ctx, tx); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, by, verb, "complaint", id, "slack")
	})
	return row.complaint(), err
}

// complaintClosedOrGone says why a change found no open complaint.
func complaintClosedOrGone(ctx context.Context, tx *sqlx.Tx, id int64) error {
	var exists bool
	if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM complaints WHERE id = $1)`, id); err != nil {
		return fmt.Errorf("find complaint: %w", err)
	}
	if exists {
		return followup.Errorf(followup.EINVALID, "That complaint is already resolved.")
	}
	return followup.Errorf(followup.ENOTFOUND, "That complaint no longer exists.")
}

// enqueueComplaintRemindersSQL tells each open complaint's handler (the customer's owner
// while nobody handles it, as followup.Complaint.ResponsibleID) when its deadline comes,
// once per complaint and deadline however many replicas run; like the action scan it
// looks back only actionWindow ($2), and complaints_open_due_idx serves it.
const enqueueComplaintRemindersSQL = `
INSERT INTO reminders (kind, dedup_key, recipient_id, complaint_id, customer_id, send_after, created_at)
SELECT 'complaint', 'complaint:' || k.id || ':' || extract(epoch FROM k.due_at)::bigint,
       COALESCE(k.handler_id, c.owner_id), k.id, k.customer_id, k.due_at, $1
FROM complaints k JOIN customers c ON c.id = k.customer_id
WHERE k.status <> 'resolved' AND k.due_at <= $1 AND k.due_at > $2
ON CONFLICT (dedup_key) DO NOTHING`

// EnqueueComplaintReminders puts a reminder in the outbox for every open complaint whose
// deadline came by now.
func (db *DB) EnqueueComplaintReminders(ctx context.Context, now time.Time) (int, error) {
	return db.exec(ctx, enqueueComplaintRemindersSQL, now, now.Add(-actionWindow))
}

// findComplaintEscalationsSQL lists open complaints due before $1 (a cheap calendar-day
// bound; the caller applies working days) that were not escalated yet and whose
// customer's owner is on a team with a manager other than the handler: a manager who
// handles the complaint already had its reminder.
const findComplaintEscalationsSQL = `
SELECT ` + complaintColumns + `, t.manager_id
FROM complaints k
JOIN customers c ON c.id = k.customer_id
JOIN people p ON p.slack_id = c.owner_id
JOIN teams t ON t.id = p.team_id
WHERE k.status <> 'resolved' AND k.due_at <= $1 AND k.due_at > $2
  AND t.manager_id IS NOT NULL AND t.manager_id IS DISTINCT FROM k.handler_id
  AND NOT EXISTS (SELECT 1 FROM reminders r
                  WHERE r.dedup_key = 'escalate:complaint:' || k.id || ':' || extract(epoch FROM k.due_at)::bigint)
ORDER BY k.due_at
LIMIT 1000`

// FindComplaintEscalations returns open complaints due before overdueSince that could be
// escalated to the customer's owner's manager.
func (db *DB) FindComplaintEscalations(ctx context.Context, overdueSince time.Time) ([]followup.ComplaintEscalation, error) {
	return selectAll(ctx, db, escalatedComplaintRow.escalation, findComplaintEscalationsSQL, overdueSince, overdueSince.Add(-actionWindow*4))
}

type escalatedComplaintRow struct {
	complaintRow
	ManagerID string `db:"manager_id"`
}

func (r escalatedComplaintRow) escalation() followup.ComplaintEscalation {
	return followup.ComplaintEscalation{Complaint: r.complaint(), ManagerID: r.ManagerID}
}

const enqueueComplaintEscalationSQL = `
INSERT INTO reminders (kind, dedup_key, recipient_id, complaint_id, customer_id, send_after, created_at)
VALUES ('escalation_complaint', 'escalate:complaint:' || $1::bigint || ':' || extract(epoch FROM $2::timestamptz)::bigint, $3, $1, $4, $5, $5)
ON CONFLICT (dedup_key) DO NOTHING`

// EnqueueComplaintEscalation puts an escalation of the complaint to the manager in the
// outbox, once per complaint and deadline.
func (db *DB) EnqueueComplaintEscalation(ctx context.Context, e followup.ComplaintEscalation, now time.Time) error {
	if e.Complaint.DueAt == nil {
		return followup.Errorf(followup.EINVALID, "A complaint without a deadline cannot be escalated.")
	}
	_, err := db.exec(ctx, enqueueComplaintEscalationSQL, e.Complaint.ID, *e.Complaint.DueAt, e.ManagerID, e.Complaint.CustomerID, now)
	return err
}
