package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/followuphq/followup"
	"github.com/followuphq/followup/bot/slackfake"
	"github.com/followuphq/followup/internal/logtest"
	"github.com/followuphq/followup/pii"
	"github.com/followuphq/followup/storage"
	"github.com/followuphq/followup/storage/storagetest"
)

var (
	oldKey = []byte("the key before the rotation, 32b")
	newKey = []byte("the key after the rotation, 32 b")
)

func b64(k []byte) string { return base64.StdEncoding.EncodeToString(k) }

func keyID(t *testing.T, k []byte) string {
	t.Helper()
	ring, err := pii.NewKeyring(k)
	if err != nil {
		t.Fatal(err)
	}
	return ring.CurrentKeyID()
}

// sealedDB is a migrated database with customers whose personal data is sealed under key.
func sealedDB(t *testing.T, key []byte, n int) string {
	t.Helper()
	ctx := context.Background()
	dsn := storagetest.NewDSN(t)
	ring, _ := pii.NewKeyring(key)
	db, err := storage.Open(ctx, dsn, storage.WithKeyring(ring))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SavePerson(ctx, followup.Person{SlackID: "U0REP00001", Name: "wang", TZ: "UTC"}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := db.CreateCustomer(ctx, followup.NewCustomer{Name: "Customer " + string(rune('A'+i)), Kind: followup.KindCompany,
			Industry: "x", Tier: followup.TierB, Source: "x", OwnerID: "U0REP00001", IDNumber: "91310000MA1FL8XQ37",
			Contact: followup.Contact{Name: "Li", Phone: "+8613800005678", Email: "li@example.com"}}); err != nil {
			t.Fatal(err)
		}
	}
	return dsn
}

func status(t *testing.T, dsn string) storage.PersonalDataStatus {
	t.Helper()
	db, err := storage.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.PersonalDataStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRotateKey(t *testing.T) {
	ctx := context.Background()
	dsn := sealedDB(t, oldKey, 3)
	oldID, newID := keyID(t, oldKey), keyID(t, newKey)

	if err := run(ctx, []string{"rotate-key"}, envOf(map[string]string{"DATABASE_URL": dsn}), &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "PII_KEY") {
		t.Errorf("rotate-key without PII_KEY = %v, want PII_KEY named", err)
	}
	// The new key alone cannot open what the old one sealed: nothing is touched.
	err := run(ctx, []string{"rotate-key"}, envOf(map[string]string{"DATABASE_URL": dsn, "PII_KEY": b64(newKey)}), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), oldID) || !strings.Contains(err.Error(), "PII_KEY_OLD") {
		t.Errorf("rotate-key without the old key = %v, want key %s and PII_KEY_OLD named", err, oldID)
	}
	if s := status(t, dsn); s.ByKey[oldID] != 9 {
		t.Errorf("after a refused rotation: %+v, want all 9 values still under the old key", s)
	}

	env := envOf(map[string]string{"DATABASE_URL": dsn, "PII_KEY": b64(newKey), "PII_KEY_OLD": b64(oldKey)})
	var out bytes.Buffer
	if err := run(ctx, []string{"rotate-key", "--batch", "2"}, env, &out); err != nil {
		t.Fatalf("rotate-key: %v\n%s", err, out.String())
	}
	if got := out.String(); !strings.Contains(got, "3 contacts, 3 customers") || !strings.Contains(got, "PII_KEY_OLD is no longer needed") {
		t.Errorf("output %q, want the counts and that the old key can go", got)
	}
	if s := status(t, dsn); s.ByKey[newID] != 9 || s.ByKey[oldID] != 0 || s.Plaintext != 0 {
		t.Errorf("after the rotation: %+v, want 9 values under %s", s, newID)
	}
	out.Reset()
	if err := run(ctx, []string{"rotate-key"}, env, &out); err != nil || !strings.Contains(out.String(), "0 contacts, 0 customers") {
		t.Errorf("a second run: %v %q, want nothing to do", err, out.String())
	}
	// After the rotation the new key alone serves.
	if err := run(ctx, []string{"rotate-key"}, envOf(map[string]string{"DATABASE_URL": dsn, "PII_KEY": b64(newKey)}), &out); err != nil {
		t.Errorf("rotate-key with the new key only, after rotating: %v", err)
	}
	if err := run(ctx, []string{"rotate-key", "--batch", "0"}, env, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("--batch 0 = %v, want the usage", err)
	}
}

// TestServeRefusesDataUnderAnUnknownKey: a bot given a new PII_KEY but not the old one
// could neither show nor match what is stored, so it does not start.
func TestServeRefusesDataUnderAnUnknownKey(t *testing.T) {
	dsn := sealedDB(t, oldKey, 1)
	fake := slackfake.NewTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := run(ctx, []string{"serve"}, envOf(map[string]string{
		"DATABASE_URL": dsn, "REDIS_URL": storagetest.NewRedisURL(t), "HTTP_ADDR": "127.0.0.1:0",
		"SLACK_BOT_TOKEN": fake.Token(), "SLACK_SIGNING_SECRET": "s3cr3t-signing-value", "SLACK_API_URL": fake.APIURL(),
		"PII_KEY": b64(newKey),
	}), logtest.Writer(nil))
	if err == nil || !strings.Contains(err.Error(), keyID(t, oldKey)) || !strings.Contains(err.Error(), "PII_KEY_OLD") {
		t.Errorf("serve = %v, want it refused, naming key %s and PII_KEY_OLD", err, keyID(t, oldKey))
	}
}

// TestServeEncryptsPlaintextAtStartUp is the upgrade of a deployment that stored contacts
// in the clear: serve migrates, seals them before it serves, and says so.
func TestServeEncryptsPlaintextAtStartUp(t *testing.T) {
	ctx := context.Background()
	dsn := storagetest.NewDSNAt(t, 12)
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQLX().Exec(`
		INSERT INTO people (slack_id) VALUES ('U0REP00001');
		INSERT INTO customers (code, name, owner_id, tier) VALUES ('C1', 'Old Customer', 'U0REP00001', 'A');
		INSERT INTO contacts (customer_id, name, phone, email, is_primary)
		SELECT id, 'Zhang', '+8613800005678', 'zhang@old.example', true FROM customers`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	fake := slackfake.NewTest(t)
	s := serveUntilReady(t, map[string]string{
		"DATABASE_URL": dsn, "REDIS_URL": storagetest.NewRedisURL(t),
		"SLACK_BOT_TOKEN": fake.Token(), "SLACK_SIGNING_SECRET": "s3cr3t-signing-value", "SLACK_API_URL": fake.APIURL(),
		"PII_KEY": storagetest.PIIKey, "SCHEDULER": "off",
	})
	if err := s.stop(); err != nil {
		t.Errorf("serve returned %v", err)
	}
	if !strings.Contains(s.logs.String(), "personal data stored in the clear is now encrypted") {
		t.Errorf("serve did not say it encrypted the plaintext: %s", s.logs.String())
	}
	db, err = storage.Open(ctx, dsn, storage.WithKeyring(storagetest.Keyring()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storagetest.AssertNoPlaintext(t, db, "13800005678", "zhang@old.example")
	if st, _ := db.PersonalDataStatus(ctx); st.Plaintext != 0 || !st.Validated || st.ByKey[storagetest.Keyring().CurrentKeyID()] != 2 {
		t.Errorf("status after start-up = %+v, want 2 values sealed and the checks validated", st)
	}
}
