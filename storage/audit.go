package storage

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
)

const insertAuditSQL = `
INSERT INTO audit_log (at, actor_id, action, entity, entity_id, surface)
VALUES ($1, $2, $3, $4, $5, $6)`

// audit records who did what to which record, inside the transaction that did it, so the
// log and the change commit or fail together.
func audit(ctx context.Context, tx *sqlx.Tx, now time.Time, actor, action, entity string, id int64, surface string) error {
	if _, err := tx.ExecContext(ctx, insertAuditSQL, now, actor, action, entity, strconv.FormatInt(id, 10), surface); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, entity, err)
	}
	return nil
}
