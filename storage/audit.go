package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followuphq/followup"
)

const insertAuditSQL = `
INSERT INTO audit_log (at, actor_id, action, entity, entity_id, surface, detail)
VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::jsonb, '{}'))`

// audit records who did what to which record, inside the transaction that did it, so the
// log and the change commit or fail together.
func audit(ctx context.Context, tx *sqlx.Tx, now time.Time, actor, action, entity string, id int64, surface string) error {
	return auditDetail(ctx, tx, now, actor, action, entity, strconv.FormatInt(id, 10), surface, nil)
}

// auditDetail is audit for records not named by a number (a person), with what the change
// was in detail (marshalled to JSON; nil for none).
func auditDetail(ctx context.Context, tx *sqlx.Tx, now time.Time, actor, action, entity, id, surface string, detail any) error {
	var raw []byte
	if detail != nil {
		var err error
		if raw, err = json.Marshal(detail); err != nil {
			return fmt.Errorf("audit %s %s: %w", action, entity, err)
		}
	}
	if _, err := tx.ExecContext(ctx, insertAuditSQL, now, actor, action, entity, id, surface, nullBytes(raw)); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return nil
}

// nullBytes is nil for no bytes, so that NULL reaches the database rather than ”.
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

type auditRow struct {
	ID       int64     `db:"id"`
	At       time.Time `db:"at"`
	ActorID  string    `db:"actor_id"`
	Action   string    `db:"action"`
	Entity   string    `db:"entity"`
	EntityID string    `db:"entity_id"`
	Surface  string    `db:"surface"`
	Detail   []byte    `db:"detail"`
}

// findAuditTrailSQL lists a record's audit rows newest first, before the id $3 (0: from
// the newest); the index on (entity, entity_id, id) serves it.
const findAuditTrailSQL = `
SELECT id, at, actor_id, action, entity, entity_id, surface, detail FROM audit_log
WHERE entity = $1 AND entity_id = $2 AND ($3::bigint = 0 OR id < $3)
ORDER BY id DESC
LIMIT $4`

// FindAuditTrail returns up to limit rows of a customer's audit trail (its creation,
// changes, hand-overs and every full view of its personal data), newest first; before is
// the id of the oldest row already shown, 0 for the first page.
func (db *DB) FindAuditTrail(ctx context.Context, customerID, before int64, limit int) ([]followup.AuditEntry, error) {
	var rows []auditRow
	if err := db.db.SelectContext(ctx, &rows, findAuditTrailSQL, "customer", strconv.FormatInt(customerID, 10), before, limit); err != nil {
		return nil, mapError(err)
	}
	out := make([]followup.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = followup.AuditEntry{ID: r.ID, At: r.At, ActorID: r.ActorID, Action: r.Action, Entity: r.Entity,
			EntityID: r.EntityID, Surface: r.Surface}
		if err := json.Unmarshal(r.Detail, &out[i].Detail); err != nil {
			return nil, fmt.Errorf("audit row %d: detail: %w", r.ID, err)
		}
	}
	return out, nil
}
