package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/pii"
)

// Personal data at rest (migration 00013): contacts' phones and emails and customers' ID
// numbers are sealed with the DB's keyring before they reach Postgres and opened after they
// leave it, so neither the database, its backups nor a SQL console see them. Reads that
// show values in full go through RevealPersonalData, which writes the audit row in the
// transaction that reads them; everything else gets them masked.

// WithKeyring sets the keys personal data is sealed and opened with. Without one, storage
// refuses to store a phone, email or ID number, or to open a sealed one.
func WithKeyring(k *pii.Keyring) Option { return func(db *DB) { db.keys = k } }

// The pii fields each column is sealed for (a value copied into another column does not
// open), and the fields of the keyed hashes.
const (
	sealPhone     = "contacts.phone"
	sealEmail     = "contacts.email"
	sealIDNumber  = "customers.id_number"
	sealState     = "redis.state"
	indexPhone    = "phone"
	indexIDNumber = "id_number"
)

var errNoKeyring = errors.New("personal data: no key is configured (PII_KEY)")

func (db *DB) keyring() (*pii.Keyring, error) {
	if db.keys == nil {
		return nil, errNoKeyring
	}
	return db.keys, nil
}

// sealedContact is a contact's personal values as stored.
type sealedContact struct {
	Phone, Email string
	PhoneHash    []byte
}

func (db *DB) sealContact(c followup.Contact) (sealedContact, error) {
	if c.Phone == "" && c.Email == "" {
		return sealedContact{}, nil
	}
	k, err := db.keyring()
	if err != nil {
		return sealedContact{}, err
	}
	var s sealedContact
	if s.Phone, err = k.Seal(sealPhone, c.Phone); err != nil {
		return sealedContact{}, err
	}
	if s.Email, err = k.Seal(sealEmail, c.Email); err != nil {
		return sealedContact{}, err
	}
	s.PhoneHash = k.Index(indexPhone, followup.PhoneMatchKey(c.Phone))
	return s, nil
}

// sealIDNumber returns an ID number sealed, and its keyed hash.
func (db *DB) sealIDNumber(id string) (string, []byte, error) {
	if id == "" {
		return "", nil, nil
	}
	k, err := db.keyring()
	if err != nil {
		return "", nil, err
	}
	sealed, err := k.Seal(sealIDNumber, id)
	if err != nil {
		return "", nil, err
	}
	return sealed, k.Index(indexIDNumber, followup.NormalizeIDNumber(id)), nil
}

// lookupHashes are the keyed hashes of a value under every key, for `= ANY(...)`: never
// NULL, and empty when there is no value to look for.
func (db *DB) lookupHashes(field, normalized string) (pq.ByteaArray, error) {
	if normalized == "" {
		return pq.ByteaArray{}, nil
	}
	k, err := db.keyring()
	if err != nil {
		return nil, err
	}
	return pq.ByteaArray(k.Indexes(field, normalized)), nil
}

// open returns the plaintext of a stored value. A value that is no envelope was written
// before encryption and is returned as it is, until serve seals it at start-up.
func (db *DB) open(field, stored string) (string, error) {
	if stored == "" || !pii.IsSealed(stored) {
		return stored, nil
	}
	k, err := db.keyring()
	if err != nil {
		return "", err
	}
	v, err := k.Open(field, stored)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", field, err)
	}
	return v, nil
}

// nullHash passes a nil hash as NULL.
func nullHash(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

type contactRow struct {
	ID         int64  `db:"id"`
	CustomerID int64  `db:"customer_id"`
	Name       string `db:"name"`
	Title      string `db:"title"`
	Role       string `db:"role"`
	Phone      string `db:"phone_enc"`
	Email      string `db:"email_enc"`
	IM         string `db:"im"`
	Primary    bool   `db:"is_primary"`
}

// contact opens a contact row, masking phone and email unless full.
func (db *DB) contact(r contactRow, full bool) (followup.Contact, error) {
	c := followup.Contact{ID: r.ID, CustomerID: r.CustomerID, Name: r.Name, Title: r.Title, Role: r.Role, IM: r.IM, Primary: r.Primary}
	var err error
	if c.Phone, err = db.open(sealPhone, r.Phone); err != nil {
		return followup.Contact{}, fmt.Errorf("contact %d: %w", r.ID, err)
	}
	if c.Email, err = db.open(sealEmail, r.Email); err != nil {
		return followup.Contact{}, fmt.Errorf("contact %d: %w", r.ID, err)
	}
	if !full {
		c.Phone, c.Email = maskNonEmpty(c.Phone, followup.MaskPhone), maskNonEmpty(c.Email, followup.MaskEmail)
	}
	return c, nil
}

func maskNonEmpty(v string, mask func(string) string) string {
	if v == "" {
		return ""
	}
	return mask(v)
}

const findContactsSQL = `
SELECT id, customer_id, name, title, role, phone_enc, email_enc, im, is_primary
FROM contacts WHERE customer_id = $1 ORDER BY is_primary DESC, id`

// FindContacts returns a customer's contacts, the primary one first, with their phones and
// emails masked; RevealPersonalData shows them in full.
func (db *DB) FindContacts(ctx context.Context, customerID int64) ([]followup.Contact, error) {
	d, err := db.personalData(ctx, db.db, customerID, false)
	return d.Contacts, err
}

const findIDNumberSQL = `SELECT id_number_enc FROM customers WHERE id = $1`

// personalData reads a customer's ID number and contacts, opened, and masked unless full.
func (db *DB) personalData(ctx context.Context, q sqlx.QueryerContext, customerID int64, full bool) (followup.PersonalData, error) {
	d := followup.PersonalData{CustomerID: customerID, Full: full}
	var sealedID string
	if err := sqlx.GetContext(ctx, q, &sealedID, findIDNumberSQL, customerID); err != nil {
		return followup.PersonalData{}, mapError(err)
	}
	id, err := db.open(sealIDNumber, sealedID)
	if err != nil {
		return followup.PersonalData{}, fmt.Errorf("customer %d: %w", customerID, err)
	}
	d.IDNumber = id
	if !full {
		d.IDNumber = maskNonEmpty(id, followup.MaskIDNumber)
	}
	var rows []contactRow
	if err := sqlx.SelectContext(ctx, q, &rows, findContactsSQL, customerID); err != nil {
		return followup.PersonalData{}, mapError(err)
	}
	d.Contacts = make([]followup.Contact, len(rows))
	for i, r := range rows {
		if d.Contacts[i], err = db.contact(r, full); err != nil {
			return followup.PersonalData{}, err
		}
	}
	return d, nil
}

// FindPersonalData returns a customer's ID number and contacts masked (138****5678), as
// they are shown to people who may not see them in full. ENOTFOUND for no such customer.
func (db *DB) FindPersonalData(ctx context.Context, customerID int64) (followup.PersonalData, error) {
	return db.personalData(ctx, db.db, customerID, false)
}

// RevealPersonalData returns a customer's ID number and contacts in full, and records in
// the same transaction, for each personal field that holds a value, that viewerID saw it
// on surface. Whether they may is followup.CanSeePersonalData's decision, taken by the
// caller; a view that cannot be audited is not shown.
func (db *DB) RevealPersonalData(ctx context.Context, customerID int64, viewerID, surface string) (followup.PersonalData, error) {
	var d followup.PersonalData
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		var err error
		if d, err = db.personalData(ctx, tx, customerID, true); err != nil {
			return err
		}
		for _, f := range d.Fields() {
			if err := auditDetail(ctx, tx, now, viewerID, followup.AuditView, "customer", fmt.Sprint(customerID), surface,
				map[string]any{"field": f}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return followup.PersonalData{}, err
	}
	return d, nil
}

// PersonalDataStatus counts the personal values stored: Plaintext ones written before
// encryption and not sealed yet, and the sealed ones by the id of the key that sealed them.
// Validated says whether Postgres already refuses plaintext in every personal column.
type PersonalDataStatus struct {
	Plaintext int
	ByKey     map[string]int
	Validated bool
}

const personalDataStatusSQL = `
SELECT CASE WHEN v LIKE 'v1:%' THEN split_part(v, ':', 2) ELSE '' END AS key_id, count(*) AS n
FROM (SELECT phone_enc AS v FROM contacts UNION ALL SELECT email_enc FROM contacts
      UNION ALL SELECT id_number_enc FROM customers) AS stored
WHERE v <> ''
GROUP BY 1`

// PersonalDataStatus says what personal data is stored under which key, so that serve can
// refuse to run when values are sealed under a key it was not given, and rotate-key can
// tell when the old keys are no longer needed.
func (db *DB) PersonalDataStatus(ctx context.Context) (PersonalDataStatus, error) {
	var rows []struct {
		KeyID string `db:"key_id"`
		N     int    `db:"n"`
	}
	if err := db.db.SelectContext(ctx, &rows, personalDataStatusSQL); err != nil {
		return PersonalDataStatus{}, mapError(err)
	}
	s := PersonalDataStatus{ByKey: map[string]int{}}
	for _, r := range rows {
		if r.KeyID == "" {
			s.Plaintext = r.N
		} else {
			s.ByKey[r.KeyID] = r.N
		}
	}
	pending, err := db.unvalidatedChecks(ctx)
	s.Validated = len(pending) == 0
	return s, err
}

// ResealOptions says what ResealPersonalData seals again.
type ResealOptions struct {
	// PlaintextOnly seals the values written before encryption and leaves every sealed
	// value as it is, under whichever key: what serve does at start-up. Otherwise every
	// value not under the current key is sealed under it (followup rotate-key).
	PlaintextOnly bool
	BatchSize     int    // rows per transaction; DefaultResealBatch when 0
	ActorID       string // for the audit log: "cli", "serve"
	Surface       string
}

// DefaultResealBatch is how many rows one transaction of ResealPersonalData seals: small
// enough that the row locks it holds are gone in milliseconds.
const DefaultResealBatch = 500

// ResealReport counts the rows a run sealed, by table, and names the key it sealed under.
type ResealReport struct {
	Contacts, Customers int
	KeyID               string
}

// resealTable is how one table's personal values are found and written back.
type resealTable struct {
	name                  string
	selectSQL, updateSQL  string
	sealField, indexField string
	hashOf                func(plaintext string) string // the normalized form the hash is of
	values                int                           // personal columns in the table
}

// resealContactsSQL finds, after id $1, contacts with a value that does not start with $2
// ("v1:" for plaintext only, "v1:<current key>:" for a rotation), in id order: each batch
// goes on from the last, so a run reads each row once however large the table.
const resealContactsSQL = `
SELECT id, phone_enc AS v1, email_enc AS v2, phone_hash AS hash FROM contacts
WHERE id > $1 AND ((phone_enc <> '' AND NOT starts_with(phone_enc, $2)) OR (email_enc <> '' AND NOT starts_with(email_enc, $2)))
ORDER BY id LIMIT $3
FOR NO KEY UPDATE`

const updateContactsSealSQL = `
UPDATE contacts c SET phone_enc = r.v1, email_enc = r.v2, phone_hash = NULLIF(r.hash, ''::bytea)
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bytea[]) AS r(id, v1, v2, hash)
WHERE c.id = r.id`

// A customer's row is locked FOR NO KEY UPDATE, as an UPDATE of it would: follow-ups
// being logged for it (which take a KEY SHARE lock through their foreign key) go on.
const resealCustomersSQL = `
SELECT id, id_number_enc AS v1, '' AS v2, id_number_hash AS hash FROM customers
WHERE id > $1 AND id_number_enc <> '' AND NOT starts_with(id_number_enc, $2)
ORDER BY id LIMIT $3
FOR NO KEY UPDATE`

const updateCustomersSealSQL = `
UPDATE customers c SET id_number_enc = r.v1, id_number_hash = NULLIF(r.hash, ''::bytea)
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bytea[]) AS r(id, v1, v2, hash)
WHERE c.id = r.id`

var resealTables = []resealTable{
	{name: "contacts", selectSQL: resealContactsSQL, updateSQL: updateContactsSealSQL,
		sealField: sealPhone, indexField: indexPhone, hashOf: followup.PhoneMatchKey, values: 2},
	{name: "customers", selectSQL: resealCustomersSQL, updateSQL: updateCustomersSealSQL,
		sealField: sealIDNumber, indexField: indexIDNumber, hashOf: followup.NormalizeIDNumber, values: 1},
}

// sealedRow is a row of resealContactsSQL or resealCustomersSQL: v1 is the hashed value
// (a phone, an ID number), v2 a contact's email.
type sealedRow struct {
	ID   int64  `db:"id"`
	V1   string `db:"v1"`
	V2   string `db:"v2"`
	Hash []byte `db:"hash"`
}

// ResealPersonalData seals personal data under the current key, in batches of one
// transaction each (not one for the run: a table of a million contacts would otherwise
// hold its locks for minutes), and records each batch in the audit log. It can run while
// the bot serves, on any number of processes at once, and be stopped and started again:
// what is sealed under the current key is done, and the next run passes over it. Once a
// run has left nothing in the clear, Postgres is told to refuse plaintext from then on
// (the checks of migration 00013 are validated).
func (db *DB) ResealPersonalData(ctx context.Context, o ResealOptions) (ResealReport, error) {
	k, err := db.keyring()
	if err != nil {
		return ResealReport{}, err
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultResealBatch
	}
	report := ResealReport{KeyID: k.CurrentKeyID()}
	for _, t := range resealTables {
		var after int64
		for {
			n, last, err := db.resealBatch(ctx, k, t, after, o)
			if err != nil {
				return report, err
			}
			if t.name == "contacts" {
				report.Contacts += n
			} else {
				report.Customers += n
			}
			if n < o.BatchSize {
				break
			}
			after = last
		}
	}
	return report, db.validateSealed(ctx)
}

// resealBatch seals up to o.BatchSize rows of t after the id after; it returns how many
// rows it read and the last id.
func (db *DB) resealBatch(ctx context.Context, k *pii.Keyring, t resealTable, after int64, o ResealOptions) (int, int64, error) {
	done := k.CurrentPrefix()
	if o.PlaintextOnly {
		done = "v1:"
	}
	var n int
	var last int64
	err := db.inTx(ctx, func(tx *sqlx.Tx, now time.Time) error {
		var rows []sealedRow
		if err := tx.SelectContext(ctx, &rows, t.selectSQL, after, done, o.BatchSize); err != nil {
			return fmt.Errorf("reseal %s: %w", t.name, err)
		}
		n = len(rows)
		if n == 0 {
			return nil
		}
		ids := make([]int64, n)
		v1s, v2s := make([]string, n), make([]string, n)
		hashes := make(pq.ByteaArray, n)
		for i, r := range rows {
			ids[i] = r.ID
			v1, changed, err := db.reseal(k, t.sealField, r.V1, o.PlaintextOnly)
			if err != nil {
				return fmt.Errorf("%s row %d: %w", t.name, r.ID, err)
			}
			v1s[i], hashes[i] = v1.sealed, r.Hash
			if changed {
				hashes[i] = k.Index(t.indexField, t.hashOf(v1.plain))
			}
			if t.values > 1 {
				v2, _, err := db.reseal(k, sealEmail, r.V2, o.PlaintextOnly)
				if err != nil {
					return fmt.Errorf("%s row %d: %w", t.name, r.ID, err)
				}
				v2s[i] = v2.sealed
			}
		}
		last = ids[n-1]
		if _, err := tx.ExecContext(ctx, t.updateSQL, pq.Array(ids), pq.Array(v1s), pq.Array(v2s), hashes); err != nil {
			return fmt.Errorf("reseal %s: %w", t.name, err)
		}
		return auditDetail(ctx, tx, now, o.ActorID, followup.AuditReseal, t.name, k.CurrentKeyID(), o.Surface,
			map[string]any{"rows": n, "from_id": ids[0], "to_id": last, "plaintext_only": o.PlaintextOnly})
	})
	return n, last, err
}

type resealed struct{ sealed, plain string }

// reseal seals a stored value under the current key when it is plaintext, or (unless
// plaintextOnly) sealed under another key; changed says whether it did.
func (db *DB) reseal(k *pii.Keyring, field, stored string, plaintextOnly bool) (resealed, bool, error) {
	switch {
	case stored == "":
		return resealed{}, false, nil
	case pii.IsSealed(stored) && (plaintextOnly || pii.KeyID(stored) == k.CurrentKeyID()):
		return resealed{sealed: stored}, false, nil
	}
	plain, err := db.open(field, stored)
	if err != nil {
		return resealed{}, false, err
	}
	sealed, err := k.Seal(field, plain)
	if err != nil {
		return resealed{}, false, err
	}
	return resealed{sealed: sealed, plain: plain}, true, nil
}

// sealedChecks are migration 00013's checks that every stored personal value is sealed.
var sealedChecks = map[string]string{
	"contacts_phone_sealed": "contacts", "contacts_email_sealed": "contacts", "customers_id_number_sealed": "customers",
}

const unvalidatedChecksSQL = `SELECT conname FROM pg_constraint WHERE conname = ANY($1) AND NOT convalidated ORDER BY conname`

// unvalidatedChecks names the sealedChecks Postgres does not hold every row to yet.
func (db *DB) unvalidatedChecks(ctx context.Context) ([]string, error) {
	names := make([]string, 0, len(sealedChecks))
	for name := range sealedChecks {
		names = append(names, name)
	}
	var pending []string
	if err := db.db.SelectContext(ctx, &pending, unvalidatedChecksSQL, pq.Array(names)); err != nil {
		return nil, mapError(err)
	}
	return pending, nil
}

// validateSealed makes Postgres check the rows written before migration 00013 against its
// checks, which then hold for every row. VALIDATE CONSTRAINT reads the table under a lock
// that lets reads and writes go on.
func (db *DB) validateSealed(ctx context.Context) error {
	pending, err := db.unvalidatedChecks(ctx)
	if err != nil {
		return err
	}
	for _, name := range pending {
		if _, err := db.db.ExecContext(ctx, "ALTER TABLE "+sealedChecks[name]+" VALIDATE CONSTRAINT "+name); err != nil {
			return fmt.Errorf("validate %s: %w", name, mapError(err))
		}
	}
	return nil
}
