package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
)

type customerRow struct {
	ID             int64          `db:"id"`
	Code           string         `db:"code"`
	Name           string         `db:"name"`
	Kind           string         `db:"kind"`
	Industry       string         `db:"industry"`
	Size           string         `db:"size"`
	Region         string         `db:"region"`
	Address        string         `db:"address"`
	Source         string         `db:"source"`
	FirstContactOn sql.NullTime   `db:"first_contact_on"`
	OwnerID        string         `db:"owner_id"`
	Tier           string         `db:"tier"`
	Stage          string         `db:"stage"`
	LostReason     string         `db:"lost_reason"`
	ChurnRisk      bool           `db:"churn_risk"`
	ExceptionNote  string         `db:"exception_note"`
	Tags           pq.StringArray `db:"tags"`
	Notes          string         `db:"notes"`
	LastTouchAt    sql.NullTime   `db:"last_touch_at"`
	CreatedAt      time.Time      `db:"created_at"`
	UpdatedAt      time.Time      `db:"updated_at"`
}

const customerColumns = `id, code, name, kind, industry, size, region, address, source, first_contact_on,
    owner_id, tier, stage, lost_reason, churn_risk, exception_note, tags, notes, last_touch_at, created_at, updated_at`

func (r customerRow) customer() followup.Customer {
	return followup.Customer{
		ID: r.ID, Code: r.Code, Name: r.Name, Kind: followup.CustomerKind(r.Kind), Industry: r.Industry,
		Size: r.Size, Region: r.Region, Address: r.Address, Source: r.Source,
		FirstContactOn: nullTime(r.FirstContactOn), OwnerID: r.OwnerID, Tier: followup.Tier(r.Tier),
		Stage: followup.Stage(r.Stage), LostReason: r.LostReason, ChurnRisk: r.ChurnRisk,
		ExceptionNote: r.ExceptionNote, Tags: []string(r.Tags), Notes: r.Notes,
		LastTouchAt: nullTime(r.LastTouchAt), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

func customers(rows []customerRow) []followup.Customer {
	out := make([]followup.Customer, len(rows))
	for i, r := range rows {
		out[i] = r.customer()
	}
	return out
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

const nextCustomerCodeSQL = `
INSERT INTO customer_code_counters (period, last_value) VALUES ($1, 1)
ON CONFLICT (period) DO UPDATE SET last_value = customer_code_counters.last_value + 1
RETURNING last_value`

const insertCustomerSQL = `
INSERT INTO customers (code, name, kind, industry, tier, source, notes, owner_id, first_contact_on, created_by, created_at, updated_at,
    id_number_enc, id_number_hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $8, $10, $10, $11, $12)
RETURNING ` + customerColumns

const insertContactSQL = `
INSERT INTO contacts (customer_id, name, title, role, phone_enc, email_enc, phone_hash, im, is_primary, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

const insertStageChangeSQL = `
INSERT INTO stage_changes (customer_id, from_stage, to_stage, lost_reason, changed_by, changed_at)
VALUES ($1, $2, $3, $4, $5, $6)`

// CreateCustomer adds a customer with its primary contact. Without a code it gets the next
// C+year+month+sequence code; a code already in use is a field error on "code". The
// contact's phone and email and the ID number are sealed (see WithKeyring); the audit row
// names the personal fields set, never their values.
func (db *DB) CreateCustomer(ctx context.Context, nc followup.NewCustomer) (followup.Customer, error) {
	contact, err := db.sealContact(nc.Contact)
	if err != nil {
		return followup.Customer{}, err
	}
	idNumber, idHash, err := db.sealIDNumber(nc.IDNumber)
	if err != nil {
		return followup.Customer{}, err
	}
	var row customerRow
	err = db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		code := nc.Code
		if code == "" {
			var err error
			if code, err = nextCustomerCode(ctx, tx, now); err != nil {
				return err
			}
		}
		err := tx.GetContext(ctx, &row, insertCustomerSQL, code, nc.Name, nc.Kind, nc.Industry, nc.Tier,
			nc.Source, nc.Notes, nc.OwnerID, now.Format(time.DateOnly), now, idNumber, nullHash(idHash))
		if isUniqueViolation(err, "customers_code_key") {
			return followup.FieldErrors{"code": fmt.Sprintf("The code %s is already used by another customer.", code)}
		}
		if err != nil {
			return fmt.Errorf("insert customer: %w", err)
		}
		c := nc.Contact
		if c.Name != "" {
			if _, err := tx.ExecContext(ctx, insertContactSQL, row.ID, c.Name, c.Title, c.Role, contact.Phone, contact.Email,
				nullHash(contact.PhoneHash), c.IM, true, now); err != nil {
				return fmt.Errorf("insert contact: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, insertStageChangeSQL, row.ID, nil, row.Stage, "", nc.OwnerID, now); err != nil {
			return fmt.Errorf("insert stage change: %w", err)
		}
		var detail any // none: '{}'
		if fields := nc.Fields(); len(fields) > 0 {
			detail = map[string]any{"fields": fields}
		}
		return auditDetail(ctx, tx, now, nc.OwnerID, followup.AuditCreate, "customer", strconv.FormatInt(row.ID, 10), "", detail)
	})
	if err != nil {
		return followup.Customer{}, err
	}
	return row.customer(), nil
}

// nextCustomerCode takes the next number of the month from a counter row; the row lock
// serialises concurrent creations, so codes never collide.
func nextCustomerCode(ctx context.Context, tx *sqlx.Tx, now time.Time) (string, error) {
	period := now.UTC().Format("200601")
	var n int
	if err := tx.GetContext(ctx, &n, nextCustomerCodeSQL, period); err != nil {
		return "", fmt.Errorf("next customer code: %w", err)
	}
	return fmt.Sprintf("C%s%03d", period, n), nil
}

const findCustomerSQL = `SELECT ` + customerColumns + ` FROM customers WHERE id = $1`

// FindCustomer returns the customer with the id, or ENOTFOUND.
func (db *DB) FindCustomer(ctx context.Context, id int64) (followup.Customer, error) {
	var row customerRow
	if err := db.db.GetContext(ctx, &row, findCustomerSQL, id); err != nil {
		return followup.Customer{}, mapError(err)
	}
	return row.customer(), nil
}

// searchCustomersSQL ranks an exact code first, then an exact name, then names that start
// with the query, then names that contain it, among the customers the viewer may see
// ($4, $5). The trigram index serves the LIKE.
var searchCustomersSQL = `
SELECT ` + customerColumns + `,
    CASE WHEN code = upper($1::text) THEN 0
         WHEN lower(name) = lower($1) THEN 1
         WHEN lower(name) LIKE $2::text || '%' THEN 2
         ELSE 3 END AS rank
FROM customers c
WHERE (code = upper($1) OR lower(name) LIKE '%' || $2 || '%') AND ` + visibleTo("$4", "$5") + `
ORDER BY rank, name, id
LIMIT $3::int`

type rankedCustomerRow struct {
	customerRow
	Rank int `db:"rank"`
}

// SearchCustomers returns up to limit customers visible to vis whose code is query or
// whose name contains it (case-insensitive), best matches first. It feeds the typeahead.
func (db *DB) SearchCustomers(ctx context.Context, query string, limit int, vis followup.Visibility) ([]followup.Customer, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	var rows []rankedCustomerRow
	if err := db.selectPrepared(ctx, &rows, searchCustomersSQL, query, escapeLike(strings.ToLower(query)), limit, vis.All, vis.ViewerID); err != nil {
		return nil, err
	}
	out := make([]followup.Customer, len(rows))
	for i, r := range rows {
		out[i] = r.customer()
	}
	return out, nil
}

// resolveExactCustomerSQL finds customers by code or by whole name, the code first, among
// those the viewer may see ($3, $4): the common case of a quick log, one probe of two plain
// indexes with a plan Postgres keeps.
var resolveExactCustomerSQL = `
SELECT ` + customerColumns + ` FROM customers c
WHERE (code = upper($1::text) OR lower(name) = lower($1)) AND ` + visibleTo("$3", "$4") + `
ORDER BY code = upper($1) DESC, id
LIMIT $2::int`

// resolvePartialCustomerSQL finds customers the viewer may see ($3, $4) whose name contains
// the reference (the trigram index serves the LIKE), names that start with it first.
var resolvePartialCustomerSQL = `
SELECT ` + customerColumns + ` FROM customers c
WHERE lower(name) LIKE '%' || $1::text || '%' AND ` + visibleTo("$3", "$4") + `
ORDER BY lower(name) LIKE $1 || '%' DESC, name, id
LIMIT $2::int`

// ResolveCustomer finds what a rep meant by ref among the customers vis lets them see: a
// code, a name, or a unique part of a name. An exact code wins over an exact name, and an
// exact name over partial matches; several matches of the best kind are all returned so
// the caller can offer a choice; none is an empty slice. The partial search runs only
// when nothing matched exactly.
func (db *DB) ResolveCustomer(ctx context.Context, ref string, vis followup.Visibility) ([]followup.Customer, error) {
	const maxChoices = 10
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return []followup.Customer{}, nil
	}
	var rows []customerRow
	if err := db.selectPrepared(ctx, &rows, resolveExactCustomerSQL, ref, maxChoices, vis.All, vis.ViewerID); err != nil {
		return nil, err
	}
	if len(rows) > 0 {
		if rows[0].Code == strings.ToUpper(ref) {
			rows = rows[:1]
		}
		return customers(rows), nil
	}
	if err := db.selectPrepared(ctx, &rows, resolvePartialCustomerSQL, escapeLike(strings.ToLower(ref)), maxChoices, vis.All, vis.ViewerID); err != nil {
		return nil, err
	}
	return customers(rows), nil
}

// escapeLike makes a user's text match literally inside LIKE.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// findDuplicateCustomersSQL matches phones and ID numbers by their keyed hashes, $3 and
// $4 holding the hash under each key of the keyring (a stored hash may be under an older
// key until rotate-key is done); the partial hash indexes serve them.
const findDuplicateCustomersSQL = `
SELECT ` + customerColumns + ` FROM customers
WHERE lower(name) = lower($1)
   OR ($2 <> '' AND code = $2)
   OR id IN (SELECT customer_id FROM contacts WHERE phone_hash = ANY($3::bytea[]))
   OR id_number_hash = ANY($4::bytea[])
ORDER BY id
LIMIT 10`

// FindDuplicateCustomers returns customers that share the name (case-insensitive), the
// code, a contact's phone (in any of the ways PhoneMatchKey equates) or the ID number with
// a customer about to be created.
func (db *DB) FindDuplicateCustomers(ctx context.Context, nc followup.NewCustomer) ([]followup.Customer, error) {
	phones, err := db.lookupHashes(indexPhone, followup.PhoneMatchKey(nc.Contact.Phone))
	if err != nil {
		return nil, err
	}
	ids, err := db.lookupHashes(indexIDNumber, followup.NormalizeIDNumber(nc.IDNumber))
	if err != nil {
		return nil, err
	}
	var rows []customerRow
	err = db.db.SelectContext(ctx, &rows, findDuplicateCustomersSQL, nc.Name, nc.Code, phones, ids)
	return customers(rows), mapError(err)
}

func isUniqueViolation(err error, constraint string) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505" && pqErr.Constraint == constraint
}

const reassignCustomerSQL = `UPDATE customers SET owner_id = $2, updated_at = $3 WHERE id = $1`

const reassignCustomerActionsSQL = `
UPDATE next_actions SET owner_id = $2, updated_at = $3
WHERE customer_id = $1 AND status IN ('open', 'snoozed')`

// ReassignCustomer gives a customer and its pending actions to another owner in one
// transaction, so nothing is left orphaned with the previous owner.
func (db *DB) ReassignCustomer(ctx context.Context, id int64, by, to string) error {
	return db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, reassignCustomerSQL, id, to, now)
		if err != nil {
			return fmt.Errorf("reassign customer: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return followup.Errorf(followup.ENOTFOUND, "That customer no longer exists.")
		}
		if _, err := tx.ExecContext(ctx, reassignCustomerActionsSQL, id, to, now); err != nil {
			return fmt.Errorf("reassign actions: %w", err)
		}
		return audit(ctx, tx, now, by, "reassign", "customer", id, "slack")
	})
}
