package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
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
