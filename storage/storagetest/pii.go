package storagetest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/lib/pq"

	"github.com/followuphq/followup/internal/piitest"
	"github.com/followuphq/followup/pii"
	"github.com/followuphq/followup/storage"
)

// PIIKey is the personal data key of the tests, base64 as PII_KEY takes it. It is no
// secret: it seals test data only.
var PIIKey = base64.StdEncoding.EncodeToString([]byte("followup storagetest pii key 32b"))

// Keyring is the keyring of PIIKey. NewDB opens databases with it.
func Keyring() *pii.Keyring {
	raw, _ := base64.StdEncoding.DecodeString(PIIKey)
	k, err := pii.NewKeyring(raw)
	if err != nil {
		panic(err) // PIIKey is 32 bytes
	}
	return k
}

// PlaintextFound scans every text, JSON, array and bytea column of every table of the
// database and returns, as "table.column: what", each value holding one of needles (and,
// for a needle of digits, its digits however separated) or matching one of piitest's
// patterns.
func PlaintextFound(t testing.TB, db *storage.DB, needles ...string) []string {
	t.Helper()
	ctx := context.Background()
	var cols []struct {
		Table  string `db:"table_name"`
		Column string `db:"column_name"`
		Type   string `db:"data_type"`
	}
	if err := db.SQLX().SelectContext(ctx, &cols, `
		SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
		  AND c.data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'bytea')
		ORDER BY c.table_name, c.column_name`); err != nil {
		t.Fatalf("storagetest: list columns: %v", err)
	}
	if len(cols) == 0 {
		t.Fatal("storagetest: no columns to scan")
	}
	var found []string
	for _, c := range cols {
		q := fmt.Sprintf("SELECT %s::text FROM %s WHERE %[1]s IS NOT NULL", pq.QuoteIdentifier(c.Column), pq.QuoteIdentifier(c.Table))
		if c.Type == "bytea" {
			q = fmt.Sprintf("SELECT %s FROM %s WHERE %[1]s IS NOT NULL", pq.QuoteIdentifier(c.Column), pq.QuoteIdentifier(c.Table))
		}
		var values [][]byte
		if err := db.SQLX().SelectContext(ctx, &values, q); err != nil {
			t.Fatalf("storagetest: read %s.%s: %v", c.Table, c.Column, err)
		}
		for _, v := range values {
			if what := plaintextIn(v, needles); what != "" {
				found = append(found, c.Table+"."+c.Column+": "+what)
			}
		}
	}
	return found
}

func plaintextIn(v []byte, needles []string) string {
	if what := piitest.Find(v, needles); what != "" {
		return what
	}
	for _, n := range needles {
		if digits := onlyDigits(n); len(digits) >= 6 && bytes.Contains(onlyDigitsBytes(v), []byte(digits)) && !looksSealed(v) {
			return "contains the digits of " + n
		}
	}
	return ""
}

// looksSealed reports whether v is one envelope: its digits are base64's, not a number's.
func looksSealed(v []byte) bool { return pii.IsSealed(string(v)) && !bytes.ContainsAny(v, " ,{}\"") }

func onlyDigits(s string) string { return string(onlyDigitsBytes([]byte(s))) }

func onlyDigitsBytes(v []byte) []byte {
	out := make([]byte, 0, len(v))
	for _, b := range v {
		if b >= '0' && b <= '9' {
			out = append(out, b)
		}
	}
	return out
}

// AssertNoPlaintext fails the test for every value PlaintextFound finds.
func AssertNoPlaintext(t testing.TB, db *storage.DB, needles ...string) {
	t.Helper()
	for _, f := range PlaintextFound(t, db, needles...) {
		t.Errorf("personal data in the clear in the database: %s", f)
	}
}
