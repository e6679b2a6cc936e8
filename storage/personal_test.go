package storage_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/pii"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

func keyring(t *testing.T, keys ...string) *pii.Keyring {
	t.Helper()
	raw := make([][]byte, len(keys))
	for i, k := range keys {
		raw[i] = []byte(k)
	}
	k, err := pii.NewKeyring(raw[0], raw[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

const (
	key1 = "first personal data key, 32 byte"
	key2 = "second personal data key 32 byte"
)

// acme is a customer with all its personal fields set.
func acme(owner string) followup.NewCustomer {
	return followup.NewCustomer{Name: "Acme Trading", Kind: followup.KindCompany, Industry: "Steel", Tier: followup.TierA,
		Source: "expo", OwnerID: owner, IDNumber: "91310000MA1FL8XQ37",
		Contact: followup.Contact{Name: "Wang Jun", Phone: "+8613800005678", Email: "wang.jun@acme.example", Primary: true}}
}

// acmeDB is a database with rep U1 and their customer acme.
func acmeDB(t *testing.T, opts ...storage.Option) (*storage.DB, followup.Customer) {
	t.Helper()
	db := storagetest.NewDB(t, opts...)
	seedRep(t, db, "U1")
	c, err := db.CreateCustomer(context.Background(), acme("U1"))
	if err != nil {
		t.Fatal(err)
	}
	return db, c
}

type storedContact struct {
	Phone string `db:"phone_enc"`
	Email string `db:"email_enc"`
	Hash  []byte `db:"phone_hash"`
}

func storedContacts(t *testing.T, db *storage.DB) []storedContact {
	t.Helper()
	var rows []storedContact
	if err := db.SQLX().Select(&rows, `SELECT phone_enc, email_enc, phone_hash FROM contacts ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestPersonalDataIsSealedMaskedAndRevealed(t *testing.T) {
	ctx := context.Background()
	db, c := acmeDB(t, storage.WithClock(func() time.Time { return t0 }))

	stored := storedContacts(t, db)
	if len(stored) != 1 || !pii.IsSealed(stored[0].Phone) || !pii.IsSealed(stored[0].Email) || len(stored[0].Hash) != 32 {
		t.Fatalf("stored contact = %+v, want a sealed phone and email and a 32-byte hash", stored)
	}
	var idNumber string
	var idHash []byte
	if err := db.SQLX().QueryRow(`SELECT id_number_enc, id_number_hash FROM customers WHERE id = $1`, c.ID).Scan(&idNumber, &idHash); err != nil {
		t.Fatal(err)
	}
	if !pii.IsSealed(idNumber) || len(idHash) != 32 {
		t.Errorf("stored ID number %q (hash %x), want it sealed and hashed", idNumber, idHash)
	}
	storagetest.AssertNoPlaintext(t, db, "13800005678", "wang.jun@acme.example", "91310000MA1FL8XQ37")

	contacts, err := db.FindContacts(ctx, c.ID)
	if err != nil || len(contacts) != 1 || contacts[0].Phone != "+86 138****5678" || contacts[0].Email != "w***@acme.example" || contacts[0].Name != "Wang Jun" {
		t.Errorf("FindContacts = %+v, %v, want masked", contacts, err)
	}
	masked, err := db.FindPersonalData(ctx, c.ID)
	if err != nil || masked.Full || masked.IDNumber != "9131**********XQ37" || masked.Contacts[0].Phone != "+86 138****5678" {
		t.Errorf("FindPersonalData = %+v, %v, want masked", masked, err)
	}
	if n := countAudit(t, db, "view"); n != 0 {
		t.Errorf("masked reads wrote %d view rows", n)
	}

	full, err := db.RevealPersonalData(ctx, c.ID, "U0BOSS", "slack")
	if err != nil {
		t.Fatal(err)
	}
	if !full.Full || full.IDNumber != "91310000MA1FL8XQ37" || full.Contacts[0].Phone != "+8613800005678" || full.Contacts[0].Email != "wang.jun@acme.example" {
		t.Errorf("RevealPersonalData = %+v", full)
	}
	trail, err := db.FindAuditTrail(ctx, c.ID, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var views []string
	for _, e := range trail {
		if e.Action == followup.AuditView {
			if e.ActorID != "U0BOSS" || e.Surface != "slack" || e.Entity != "customer" || e.EntityID != strconv.FormatInt(c.ID, 10) {
				t.Errorf("view row %+v", e)
			}
			views = append(views, e.Detail["field"].(string))
		}
	}
	slices.Sort(views)
	if want := []string{followup.FieldEmail, followup.FieldPhone, followup.FieldIDNumber}; !slices.Equal(views, want) {
		t.Errorf("view rows name %v, want one per field %v", views, want)
	}
	created := trail[len(trail)-1]
	if created.Action != followup.AuditCreate || created.ActorID != "U1" {
		t.Errorf("oldest row = %+v, want the creation", created)
	}
	if fields, _ := created.Detail["fields"].([]any); len(fields) != 3 {
		t.Errorf("creation row detail = %v, want the three personal fields named", created.Detail)
	}
	if _, err := db.RevealPersonalData(ctx, 999999, "U0BOSS", "slack"); followup.ErrorCode(err) != followup.ENOTFOUND {
		t.Errorf("revealing no customer: %v, want not found", err)
	}
}

func countAudit(t *testing.T, db *storage.DB, action string) int {
	t.Helper()
	return countRows(t, db, "audit_log WHERE action = $1", action)
}

func TestDuplicatesByPhoneAndIDNumberHash(t *testing.T) {
	ctx := context.Background()
	db, c := acmeDB(t)
	for name, nc := range map[string]followup.NewCustomer{
		"the phone as typed in the form":  {Name: "Other", Contact: followup.Contact{Phone: "138-0000-5678"}},
		"the phone with 0086":             {Name: "Other", Contact: followup.Contact{Phone: "0086 138 0000 5678"}},
		"the ID number, spaced and lower": {Name: "Other", IDNumber: "9131 0000 ma1f l8xq 37"},
		"the name in another case":        {Name: "ACME TRADING"},
	} {
		got, err := db.FindDuplicateCustomers(ctx, nc)
		if err != nil || len(got) != 1 || got[0].ID != c.ID {
			t.Errorf("%s: duplicates = %+v, %v, want Acme", name, got, err)
		}
	}
	if got, err := db.FindDuplicateCustomers(ctx, followup.NewCustomer{Name: "Other", Contact: followup.Contact{Phone: "13800005679"}}); err != nil || len(got) != 0 {
		t.Errorf("another number: %+v, %v", got, err)
	}

	// Without a key nothing personal is stored or looked for, and nothing is stored in the clear.
	noKey := storagetest.NewDB(t, storage.WithKeyring(nil))
	seedRep(t, noKey, "U1")
	if _, err := noKey.CreateCustomer(ctx, acme("U1")); err == nil || followup.ErrorCode(err) != followup.EINTERNAL {
		t.Errorf("CreateCustomer without a key = %v, want an internal error", err)
	}
	if n := countRows(t, noKey, "customers"); n != 0 {
		t.Errorf("without a key, %d customers were stored", n)
	}
	plain := acme("U1")
	plain.Contact.Phone, plain.Contact.Email, plain.IDNumber = "", "", ""
	if _, err := noKey.CreateCustomer(ctx, plain); err != nil {
		t.Errorf("a customer with no personal data needs no key: %v", err)
	}
}

// countRows counts the rows of from, a table and maybe a WHERE clause with its args.
func countRows(t *testing.T, db *storage.DB, from string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQLX().Get(&n, `SELECT count(*) FROM `+from, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTamperedPersonalDataIsRefused(t *testing.T) {
	ctx := context.Background()
	db, c := acmeDB(t)
	// An email's envelope copied over the phone's: both are valid envelopes of the key.
	if _, err := db.SQLX().Exec(`UPDATE contacts SET phone_enc = email_enc`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RevealPersonalData(ctx, c.ID, "U1", "slack"); !errors.Is(err, pii.ErrTampered) {
		t.Errorf("a moved ciphertext: %v, want ErrTampered", err)
	}
	if _, err := db.FindContacts(ctx, c.ID); !errors.Is(err, pii.ErrTampered) {
		t.Errorf("a moved ciphertext, masked: %v, want ErrTampered", err)
	}
	if n := countAudit(t, db, "view"); n != 0 {
		t.Errorf("a refused reveal wrote %d view rows", n)
	}
	// A character of the ciphertext changed.
	if _, err := db.SQLX().Exec(`UPDATE customers SET id_number_enc = left(id_number_enc, 20) || CASE WHEN substr(id_number_enc, 21, 1) = 'A' THEN 'B' ELSE 'A' END || substr(id_number_enc, 22)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindPersonalData(ctx, c.ID); !errors.Is(err, pii.ErrTampered) || strings.Contains(err.Error(), "91310000") {
		t.Errorf("an altered ciphertext: %v, want ErrTampered naming no value", err)
	}
	// Postgres refuses a plaintext value outright.
	if _, err := db.SQLX().Exec(`UPDATE contacts SET phone_enc = '13800005678'`); err == nil {
		t.Error("a plaintext phone was stored")
	}
	if _, err := db.SQLX().Exec(`UPDATE customers SET id_number_enc = '91310000MA1FL8XQ37'`); err == nil {
		t.Error("a plaintext ID number was stored")
	}
}

func TestRotateKeys(t *testing.T) {
	ctx := context.Background()
	dsn := storagetest.NewDSN(t)
	open := func(k *pii.Keyring) *storage.DB {
		db, err := storage.Open(ctx, dsn, storage.WithKeyring(k))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	before := open(keyring(t, key1))
	seedRep(t, before, "U1")
	var ids []int64
	for i, phone := range []string{"13800000001", "13800000002", "13800000003", "13800000004", "13800000005"} {
		nc := acme("U1")
		nc.Name, nc.Contact.Phone = "Customer "+strconv.Itoa(i), phone
		if i%2 == 1 {
			nc.IDNumber = ""
		}
		c, err := before.CreateCustomer(ctx, nc)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	old, cur := keyring(t, key1).CurrentKeyID(), keyring(t, key2).CurrentKeyID()

	during := open(keyring(t, key2, key1))
	// Before anything is re-sealed, the new keyring reads and finds what the old one wrote.
	if got, err := during.FindDuplicateCustomers(ctx, followup.NewCustomer{Name: "x", Contact: followup.Contact{Phone: "13800000003"}}); err != nil || len(got) != 1 || got[0].ID != ids[2] {
		t.Errorf("a lookup during rotation = %+v, %v", got, err)
	}
	report, err := during.ResealPersonalData(ctx, storage.ResealOptions{BatchSize: 2, ActorID: "cli", Surface: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if report.Contacts != 5 || report.Customers != 3 || report.KeyID != cur {
		t.Errorf("report = %+v, want 5 contacts and 3 customers under %s", report, cur)
	}
	status, err := during.PersonalDataStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 5 phones, 5 emails and 3 ID numbers, all under the new key.
	if status.Plaintext != 0 || status.ByKey[cur] != 13 || status.ByKey[old] != 0 {
		t.Errorf("status = %+v, want 13 values under %s only", status, cur)
	}
	// Batches of 2: 3 for the contacts, 2 for the customers.
	if n := countAudit(t, during, followup.AuditReseal); n != 5 {
		t.Errorf("%d reseal rows in the audit log, want one per batch (5)", n)
	}

	// Once re-sealed, the old key is not needed any more, hashes included.
	after := open(keyring(t, key2))
	if got, err := after.FindDuplicateCustomers(ctx, followup.NewCustomer{Name: "x", Contact: followup.Contact{Phone: "+86 138 0000 0004"}}); err != nil || len(got) != 1 || got[0].ID != ids[3] {
		t.Errorf("a lookup after rotation = %+v, %v", got, err)
	}
	if got, err := after.FindDuplicateCustomers(ctx, followup.NewCustomer{Name: "x", IDNumber: "91310000MA1FL8XQ37"}); err != nil || len(got) != 3 {
		t.Errorf("an ID number lookup after rotation = %d customers, %v; want 3", len(got), err)
	}
	d, err := after.RevealPersonalData(ctx, ids[4], "U1", "slack")
	if err != nil || d.Contacts[0].Phone != "13800000005" || d.IDNumber != "91310000MA1FL8XQ37" {
		t.Errorf("reveal after rotation = %+v, %v", d, err)
	}
	if _, err := open(keyring(t, key1)).FindContacts(ctx, ids[0]); !errors.Is(err, pii.ErrUnknownKey) {
		t.Errorf("the old key alone: %v, want ErrUnknownKey", err)
	}

	// Idempotent and resumable: a second run finds nothing to do; values written meanwhile
	// under the old key (a replica not yet given the new one) are what the next run does.
	if report, err := during.ResealPersonalData(ctx, storage.ResealOptions{}); err != nil || report.Contacts+report.Customers != 0 {
		t.Errorf("a second run = %+v, %v, want nothing done", report, err)
	}
	late := acme("U1")
	late.Name = "Late"
	if _, err := before.CreateCustomer(ctx, late); err != nil {
		t.Fatal(err)
	}
	if report, err := during.ResealPersonalData(ctx, storage.ResealOptions{}); err != nil || report.Contacts != 1 || report.Customers != 1 {
		t.Errorf("after a late write = %+v, %v, want 1 contact and 1 customer", report, err)
	}

	// A value under a key that neither PII_KEY nor PII_KEY_OLD holds stops the run, by key id.
	if _, err := open(keyring(t, key1)).CreateCustomer(ctx, followup.NewCustomer{Name: "Older", Kind: followup.KindCompany,
		Industry: "x", Tier: followup.TierB, Source: "x", OwnerID: "U1", Contact: followup.Contact{Name: "Li", Phone: "13900000000"}}); err != nil {
		t.Fatal(err)
	}
	_, err = after.ResealPersonalData(ctx, storage.ResealOptions{})
	if !errors.Is(err, pii.ErrUnknownKey) || !strings.Contains(err.Error(), old) {
		t.Errorf("a value under an unknown key: %v, want ErrUnknownKey naming %s", err, old)
	}
}

// TestLegacyPlaintextIsSealed is the upgrade: contacts stored in the clear before 00013
// are sealed by a plaintext-only run (serve's at start-up), after which Postgres refuses
// plaintext.
func TestLegacyPlaintextIsSealed(t *testing.T) {
	ctx := context.Background()
	dsn := storagetest.NewDSNAt(t, 12)
	db, err := storage.Open(ctx, dsn, storage.WithKeyring(keyring(t, key1)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SQLX().Exec(`
		INSERT INTO people (slack_id) VALUES ('U1');
		INSERT INTO customers (code, name, owner_id, tier) VALUES ('C1', 'Old One', 'U1', 'A'), ('C2', 'Old Two', 'U1', 'B');
		INSERT INTO contacts (customer_id, name, phone, email, is_primary)
		SELECT id, 'Zhang', '+8613800005678', 'zhang@old.example', true FROM customers WHERE code = 'C1';
		INSERT INTO contacts (customer_id, name, phone, is_primary)
		SELECT id, 'Li', '+8613900001111', true FROM customers WHERE code = 'C2'`); err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Until sealed, the rows read as they are.
	var c1 int64
	if err := db.SQLX().Get(&c1, `SELECT id FROM customers WHERE code = 'C1'`); err != nil {
		t.Fatal(err)
	}
	if d, err := db.RevealPersonalData(ctx, c1, "U1", "slack"); err != nil || d.Contacts[0].Phone != "+8613800005678" {
		t.Errorf("a legacy row before sealing = %+v, %v", d, err)
	}
	status, _ := db.PersonalDataStatus(ctx)
	if status.Plaintext != 3 {
		t.Errorf("status before = %+v, want 3 plaintext values", status)
	}

	report, err := db.ResealPersonalData(ctx, storage.ResealOptions{PlaintextOnly: true, ActorID: "serve", Surface: "startup"})
	if err != nil {
		t.Fatal(err)
	}
	if report.Contacts != 2 {
		t.Errorf("report = %+v, want 2 contacts sealed", report)
	}
	storagetest.AssertNoPlaintext(t, db, "13800005678", "13900001111", "zhang@old.example")
	for _, c := range storedContacts(t, db) {
		if !pii.IsSealed(c.Phone) || len(c.Hash) != 32 {
			t.Errorf("contact after sealing = %+v", c)
		}
	}
	if got, err := db.FindDuplicateCustomers(ctx, followup.NewCustomer{Name: "x", Contact: followup.Contact{Phone: "139 0000 1111"}}); err != nil || len(got) != 1 {
		t.Errorf("a legacy phone is not found by its hash: %+v, %v", got, err)
	}
	var unvalidated int
	if err := db.SQLX().Get(&unvalidated, `SELECT count(*) FROM pg_constraint WHERE conname LIKE '%\_sealed' AND NOT convalidated`); err != nil {
		t.Fatal(err)
	}
	if unvalidated != 0 {
		t.Errorf("%d sealed checks are still not validated", unvalidated)
	}
	// A plaintext-only run leaves values under another key as they are: rotating is
	// rotate-key's work, not start-up's.
	rotated, err := storage.Open(ctx, dsn, storage.WithKeyring(keyring(t, key2, key1)))
	if err != nil {
		t.Fatal(err)
	}
	defer rotated.Close()
	if report, err := rotated.ResealPersonalData(ctx, storage.ResealOptions{PlaintextOnly: true}); err != nil || report.Contacts != 0 {
		t.Errorf("a plaintext-only run with a new key = %+v, %v, want nothing done", report, err)
	}
	if status, _ := rotated.PersonalDataStatus(ctx); status.ByKey[keyring(t, key1).CurrentKeyID()] != 3 {
		t.Errorf("status = %+v, want the 3 values still under the first key", status)
	}
}

func TestAuditLogCannotBeAltered(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	seedRep(t, db, "U1")
	c := seedCustomer(t, db, "U1", "Acme")
	if _, err := db.RevealPersonalData(ctx, c.ID, "U1", "slack"); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, db, "audit_log")
	if before < 2 {
		t.Fatalf("%d audit rows, want the creation and the view", before)
	}
	// Through the application's own connection, which owns the table.
	for _, stmt := range []string{
		`UPDATE audit_log SET actor_id = 'someone else'`,
		`DELETE FROM audit_log`,
		`DELETE FROM audit_log WHERE action = 'view'`,
		`TRUNCATE audit_log`,
	} {
		if _, err := db.SQLX().ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want it refused as append-only", stmt, err)
		}
	}
	if after := countRows(t, db, "audit_log"); after != before {
		t.Errorf("audit rows %d -> %d", before, after)
	}
	var actors []string
	if err := db.SQLX().Select(&actors, `SELECT DISTINCT actor_id FROM audit_log`); err != nil || slices.Contains(actors, "someone else") {
		t.Errorf("actors = %v, %v", actors, err)
	}
}

func TestAuditTrailPages(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	seedRep(t, db, "U1")
	c := seedCustomer(t, db, "U1", "Acme")
	other := seedCustomer(t, db, "U1", "Other")
	for i := 0; i < 4; i++ {
		if _, err := db.RevealPersonalData(ctx, c.ID, "U1", "slack"); err != nil { // the phone: one row each
			t.Fatal(err)
		}
	}
	if _, err := db.RevealPersonalData(ctx, other.ID, "U1", "slack"); err != nil {
		t.Fatal(err)
	}
	var all []followup.AuditEntry
	var before int64
	for page := 0; ; page++ {
		got, err := db.FindAuditTrail(ctx, c.ID, before, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		all = append(all, got...)
		before = got[len(got)-1].ID
		if page > 5 {
			t.Fatal("paging does not end")
		}
	}
	if len(all) != 5 {
		t.Fatalf("%d rows, want the creation and 4 views of this customer only", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID {
			t.Errorf("rows not newest first: %d after %d", all[i].ID, all[i-1].ID)
		}
	}
	if all[len(all)-1].Action != followup.AuditCreate || all[0].Action != followup.AuditView || all[0].Detail["field"] != followup.FieldPhone {
		t.Errorf("trail = %+v", all)
	}
}

func TestStateIsSealedInRedis(t *testing.T) {
	ctx := context.Background()
	state, client := storagetest.NewRedis(t)
	nc := acme("U1")
	if err := state.SaveState(ctx, "newcustomer:U1:1", nc, time.Minute); err != nil {
		t.Fatal(err)
	}
	keys, err := client.Keys(ctx, "*newcustomer:U1:1").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys = %v, %v", keys, err)
	}
	raw, err := client.Get(ctx, keys[0]).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !pii.IsSealed(string(raw)) || bytes.Contains(raw, []byte("5678")) || bytes.Contains(raw, []byte("Acme")) {
		t.Errorf("Redis holds %q, want it sealed", raw)
	}
	var back followup.NewCustomer
	if err := state.TakeState(ctx, "newcustomer:U1:1", &back); err != nil || back.Contact.Phone != nc.Contact.Phone || back.IDNumber != nc.IDNumber {
		t.Errorf("TakeState = %+v, %v", back, err)
	}
	// State written before the keyring was configured is still read.
	prefix := strings.TrimSuffix(keys[0], "state:newcustomer:U1:1")
	plain := storage.NewRedis(client, prefix)
	if err := plain.SaveState(ctx, "k", map[string]string{"a": "b"}, time.Minute); err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := state.LoadState(ctx, "k", &m); err != nil || m["a"] != "b" {
		t.Errorf("unsealed state = %v, %v", m, err)
	}
	// Without the key, sealed state cannot be read.
	if err := state.SaveState(ctx, "k2", m, time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := plain.LoadState(ctx, "k2", &m); err == nil {
		t.Error("sealed state was read without a key")
	}
}

// TestPlaintextFound checks the checker: personal data typed into a free-text field, where
// no encryption can reach, is what it must find.
func TestPlaintextFound(t *testing.T) {
	db, c := acmeDB(t)
	if found := storagetest.PlaintextFound(t, db, "13800005678", "91310000MA1FL8XQ37"); len(found) != 0 {
		t.Fatalf("a sealed customer: %v", found)
	}
	for note, want := range map[string]string{
		"call Wang on 138-0000-5678":            "customers.notes: matches 138-0000-5678",
		"call Wang on 1380 000 56 78":           "customers.notes: contains the digits of 13800005678",
		"his mobile is 139 1234 5678":           "customers.notes: matches 139 1234 5678",
		"ID 11010519491231002X on file":         "customers.notes: matches 11010519491231002X",
		"credit code 9144030071526726XG, ok":    "customers.notes: matches 9144030071526726XG",
		"order 20261118000123 shipped at 10:00": "",
	} {
		if _, err := db.SQLX().Exec(`UPDATE customers SET notes = $1 WHERE id = $2`, note, c.ID); err != nil {
			t.Fatal(err)
		}
		found := storagetest.PlaintextFound(t, db, "13800005678")
		if want == "" && len(found) != 0 || want != "" && (len(found) != 1 || found[0] != want) {
			t.Errorf("notes %q: found %v, want %q", note, found, want)
		}
	}
}
