package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

// Exports read everything they return in one snapshot, so the customers, follow-ups and
// next steps of a file agree even while reps keep logging. Their scope is a digest's: all
// customers for an admin, the customers owned by a manager's teams otherwise.

const insertExportAuditSQL = `
INSERT INTO audit_log (at, actor_id, action, entity, entity_id, surface, detail)
VALUES ($1, $2, 'export', $3, '', $4, jsonb_build_object('rows', $5::int))`

// RecordExport writes who exported which list, and how many rows, to the audit log: an
// export carries customer data out of followup.
func (db *DB) RecordExport(ctx context.Context, actorID, what string, rows int, surface string) error {
	return db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		if _, err := tx.ExecContext(ctx, insertExportAuditSQL, now, actorID, what, surface, rows); err != nil {
			return fmt.Errorf("audit export: %w", err)
		}
		return nil
	})
}

// inSnapshot runs fn in a read-only repeatable-read transaction.
func (db *DB) inSnapshot(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return mapError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return mapError(err)
	}
	return mapError(tx.Commit())
}

type customerContactRow struct {
	customerRow
	ContactName  string `db:"contact_name"`
	ContactPhone string `db:"contact_phone"` // sealed
	ContactEmail string `db:"contact_email"` // sealed
}

// exportContact is the row's primary contact with its phone and email opened: an export
// is a full view of them, audited as one by RecordExport.
func (db *DB) exportContact(r customerContactRow) (followup.Contact, error) {
	phone, err := db.open(sealPhone, r.ContactPhone)
	if err != nil {
		return followup.Contact{}, fmt.Errorf("customer %d: %w", r.ID, err)
	}
	email, err := db.open(sealEmail, r.ContactEmail)
	if err != nil {
		return followup.Contact{}, fmt.Errorf("customer %d: %w", r.ID, err)
	}
	return followup.Contact{Name: r.ContactName, Phone: phone, Email: email, Primary: true}, nil
}

// exportCustomersSQL lists the scope's customers with their primary contact: $1 all, $2
// team ids, $3 only these customer ids when not null.
const exportCustomersSQL = `
SELECT cu.*, COALESCE(ct.name, '') AS contact_name, COALESCE(ct.phone_enc, '') AS contact_phone,
       COALESCE(ct.email_enc, '') AS contact_email
FROM (SELECT ` + customerColumns + ` FROM customers
      WHERE ($1 OR owner_id IN (` + scopeSQL + `)) AND ($3::bigint[] IS NULL OR id = ANY($3))) cu
LEFT JOIN contacts ct ON ct.customer_id = cu.id AND ct.is_primary
ORDER BY cu.code`

// ExportCustomers returns the customers in scope with their primary contacts and owners,
// by code, and everyone known (to name people unambiguously).
func (db *DB) ExportCustomers(ctx context.Context, scope followup.DigestScope) ([]followup.CustomerRecord, []followup.Person, error) {
	var recs []followup.CustomerRecord
	var people []followup.Person
	err := db.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		var err error
		if people, err = findPeople(ctx, tx); err != nil {
			return err
		}
		rows, err := exportCustomers(ctx, tx, scope, nil)
		if err != nil {
			return err
		}
		byID := peopleByID(people)
		for _, r := range rows {
			contact, err := db.exportContact(r)
			if err != nil {
				return err
			}
			recs = append(recs, followup.CustomerRecord{Customer: r.customer(), Owner: byID[r.OwnerID], Contact: contact})
		}
		return nil
	})
	return recs, people, err
}

func exportCustomers(ctx context.Context, tx *sqlx.Tx, scope followup.DigestScope, ids []int64) ([]customerContactRow, error) {
	only := pq.Int64Array(ids)
	if ids == nil {
		only = nil // NULL: no filter
	}
	var rows []customerContactRow
	if err := tx.SelectContext(ctx, &rows, exportCustomersSQL, scope.All, scopeTeams(scope), only); err != nil {
		return nil, fmt.Errorf("export customers: %w", err)
	}
	return rows, nil
}

// scopeTeams is the scope's team ids for ANY(): never NULL, which would make it unknown
// rather than false.
func scopeTeams(scope followup.DigestScope) pq.Int64Array {
	if scope.TeamIDs == nil {
		return pq.Int64Array{}
	}
	return pq.Int64Array(scope.TeamIDs)
}

func peopleByID(people []followup.Person) map[string]followup.Person {
	m := make(map[string]followup.Person, len(people))
	for _, p := range people {
		m[p.SlackID] = p
	}
	return m
}

// exportFollowUpsSQL lists the follow-ups of the scope's customers that happened in
// [$3, $4), oldest first; a null bound is open. $1 all, $2 team ids.
const exportFollowUpsSQL = `
SELECT ` + followUpColumns + ` FROM follow_ups
WHERE ($1 OR customer_id IN (SELECT id FROM customers WHERE owner_id IN (` + scopeSQL + `)))
  AND ($3::timestamptz IS NULL OR happened_at >= $3) AND ($4::timestamptz IS NULL OR happened_at < $4)
ORDER BY happened_at, id`

const exportActionsSQL = `
SELECT ` + actionColumns + ` FROM next_actions WHERE follow_up_id = ANY($1) ORDER BY id`

// ExportFollowUps returns the follow-ups of the customers in scope that happened in
// [from, to) (a zero bound is open), oldest first, each with its next steps, customer,
// primary contact and rep; and everyone known, as ExportCustomers does.
func (db *DB) ExportFollowUps(ctx context.Context, scope followup.DigestScope, from, to time.Time) ([]followup.FollowUpRecord, []followup.Person, error) {
	var recs []followup.FollowUpRecord
	var people []followup.Person
	err := db.inSnapshot(ctx, func(tx *sqlx.Tx) error {
		var err error
		if people, err = findPeople(ctx, tx); err != nil {
			return err
		}
		var fus []followUpRow
		if err := tx.SelectContext(ctx, &fus, exportFollowUpsSQL, scope.All, scopeTeams(scope), nullableTime(from), nullableTime(to)); err != nil {
			return fmt.Errorf("export follow-ups: %w", err)
		}
		if len(fus) == 0 {
			return nil
		}
		ids, customerIDs := make([]int64, len(fus)), []int64{}
		seen := map[int64]bool{}
		for i, f := range fus {
			ids[i] = f.ID
			if !seen[f.CustomerID] {
				seen[f.CustomerID] = true
				customerIDs = append(customerIDs, f.CustomerID)
			}
		}
		var acts []actionRow
		if err := tx.SelectContext(ctx, &acts, exportActionsSQL, pq.Array(ids)); err != nil {
			return fmt.Errorf("export next steps: %w", err)
		}
		custs, err := exportCustomers(ctx, tx, followup.DigestScope{All: true}, customerIDs)
		if err != nil {
			return err
		}
		actionsOf := map[int64][]followup.NextAction{}
		for _, a := range acts {
			actionsOf[a.FollowUpID.Int64] = append(actionsOf[a.FollowUpID.Int64], a.action())
		}
		customerOf := map[int64]customerContactRow{}
		for _, c := range custs {
			customerOf[c.ID] = c
		}
		byID := peopleByID(people)
		contactOf := map[int64]followup.Contact{}
		for _, c := range custs {
			if contactOf[c.ID], err = db.exportContact(c); err != nil {
				return err
			}
		}
		for _, f := range fus {
			fu := f.followUp()
			fu.Actions = actionsOf[f.ID]
			c := customerOf[f.CustomerID]
			recs = append(recs, followup.FollowUpRecord{FollowUp: fu, Customer: c.customer(), Rep: byID[f.RepID], Contact: contactOf[f.CustomerID]})
		}
		return nil
	})
	return recs, people, err
}

func nullableTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
