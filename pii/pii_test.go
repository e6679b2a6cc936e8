package pii_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/followuphq/followup/pii"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, pii.KeySize) }

func mustKeyring(t *testing.T, current []byte, old ...[]byte) *pii.Keyring {
	t.Helper()
	k, err := pii.NewKeyring(current, old...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	sealed, err := k.Seal("contacts.phone", "13800005678")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "13800005678") || strings.Contains(sealed, "5678") {
		t.Errorf("sealed %q shows the plaintext", sealed)
	}
	if got, want := sealed[:12], "v1:"+k.CurrentKeyID()+":"; got != want {
		t.Errorf("envelope starts %q, want %q", got, want)
	}
	if !pii.IsSealed(sealed) || pii.KeyID(sealed) != k.CurrentKeyID() || !strings.HasPrefix(sealed, k.CurrentPrefix()) {
		t.Errorf("IsSealed/KeyID/CurrentPrefix disagree on %q", sealed)
	}
	got, err := k.Open("contacts.phone", sealed)
	if err != nil || got != "13800005678" {
		t.Errorf("Open = %q, %v", got, err)
	}
	again, _ := k.Seal("contacts.phone", "13800005678")
	if again == sealed {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if s, err := k.Seal("contacts.phone", ""); s != "" || err != nil {
		t.Errorf("Seal(\"\") = %q, %v, want empty", s, err)
	}
	if s, err := k.Open("contacts.phone", ""); s != "" || err != nil {
		t.Errorf("Open(\"\") = %q, %v, want empty", s, err)
	}
	raw, _ := base64.RawStdEncoding.DecodeString(sealed[12:])
	if got, want := len(raw), 12+len("13800005678")+16; got != want {
		t.Errorf("body is %d bytes, want nonce 12 + plaintext + tag 16 = %d", got, want)
	}
}

func TestTamperDetection(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	sealed, _ := k.Seal("customers.id_number", "91310000MA1FL8XQ3K")
	body := sealed[12:]
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	other := mustKeyring(t, testKey(2))
	for name, tc := range map[string]struct {
		field, value string
		want         error
	}{
		"a flipped ciphertext character": {"customers.id_number", sealed[:12] + flip(body, len(body)/2), pii.ErrTampered},
		"a flipped nonce character":      {"customers.id_number", sealed[:12] + flip(body, 0), pii.ErrTampered},
		"a flipped tag character":        {"customers.id_number", sealed[:12] + flip(body, len(body)-2), pii.ErrTampered},
		"truncated":                      {"customers.id_number", sealed[:len(sealed)-4], pii.ErrTampered},
		"too short for a nonce and tag":  {"customers.id_number", sealed[:12] + "AAAA", pii.ErrTampered},
		"not base64":                     {"customers.id_number", sealed[:12] + "!!!!", pii.ErrTampered},
		"moved to another column":        {"contacts.phone", sealed, pii.ErrTampered},
		"another key's id written in":    {"customers.id_number", "v1:" + other.CurrentKeyID() + ":" + body, pii.ErrUnknownKey},
		"plaintext":                      {"customers.id_number", "91310000MA1FL8XQ3K", pii.ErrMalformed},
		"a bad key id":                   {"customers.id_number", "v1:zzzzzzzz:" + body, pii.ErrMalformed},
		"another version":                {"customers.id_number", "v2" + sealed[2:], pii.ErrMalformed},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := k.Open(tc.field, tc.value)
			if !errors.Is(err, tc.want) {
				t.Errorf("Open = %q, %v; want %v", got, err, tc.want)
			}
			if got != "" {
				t.Errorf("Open returned %q with an error", got)
			}
			if err != nil && strings.Contains(err.Error(), "91310000") {
				t.Errorf("the error %q quotes the value", err)
			}
		})
	}
	// A key id edited into the header of a value sealed under that other key's id is
	// caught as tampering by the key it names.
	both := mustKeyring(t, testKey(1), testKey(2))
	swapped := "v1:" + other.CurrentKeyID() + ":" + body
	if _, err := both.Open("customers.id_number", swapped); !errors.Is(err, pii.ErrTampered) {
		t.Errorf("a key id swapped in the header: %v, want ErrTampered", err)
	}
}

func TestRotation(t *testing.T) {
	oldRing := mustKeyring(t, testKey(1))
	underOld, _ := oldRing.Seal("contacts.email", "li@acme.example")

	rotated := mustKeyring(t, testKey(2), testKey(1))
	if rotated.CurrentKeyID() == oldRing.CurrentKeyID() {
		t.Fatal("two keys have one id")
	}
	if got, err := rotated.Open("contacts.email", underOld); err != nil || got != "li@acme.example" {
		t.Errorf("the old key no longer opens its value: %q, %v", got, err)
	}
	underNew, _ := rotated.Seal("contacts.email", "li@acme.example")
	if pii.KeyID(underNew) != rotated.CurrentKeyID() {
		t.Errorf("sealed under %s, want the current key %s", pii.KeyID(underNew), rotated.CurrentKeyID())
	}
	if got, want := rotated.KeyIDs(), []string{rotated.CurrentKeyID(), oldRing.CurrentKeyID()}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("KeyIDs = %v, want %v", got, want)
	}
	if !rotated.Has(oldRing.CurrentKeyID()) || oldRing.Has(rotated.CurrentKeyID()) {
		t.Error("Has disagrees with the keys given")
	}

	// Once the old key is dropped, what it sealed is reported by key id, not opened.
	newOnly := mustKeyring(t, testKey(2))
	_, err := newOnly.Open("contacts.email", underOld)
	if !errors.Is(err, pii.ErrUnknownKey) || !strings.Contains(err.Error(), oldRing.CurrentKeyID()) {
		t.Errorf("a value under a dropped key: %v, want ErrUnknownKey naming %s", err, oldRing.CurrentKeyID())
	}
	if got, err := newOnly.Open("contacts.email", underNew); err != nil || got != "li@acme.example" {
		t.Errorf("the new key does not open what it sealed: %q, %v", got, err)
	}
}

func TestNewKeyring(t *testing.T) {
	if _, err := pii.NewKeyring(make([]byte, 16)); err == nil {
		t.Error("a 16-byte key was accepted")
	}
	if _, err := pii.NewKeyring(testKey(1), make([]byte, 31)); err == nil || !strings.Contains(err.Error(), "old key 1") {
		t.Errorf("a short old key: %v, want it named", err)
	}
	k := mustKeyring(t, testKey(1), testKey(1), testKey(2))
	if got := len(k.KeyIDs()); got != 2 {
		t.Errorf("a key given twice: %d keys, want 2", got)
	}
	// The derivation is part of the stored format: a change would make every stored value
	// unreadable. These are the ids HKDF-SHA256 gives the two keys (checked with an independent
	// implementation of RFC 5869).
	for b, want := range map[byte]string{1: "c49c43ca", 2: "3444f906"} {
		if got := mustKeyring(t, testKey(b)).CurrentKeyID(); got != want {
			t.Errorf("key of 0x%02x bytes has id %s, want %s", b, got, want)
		}
	}
}

func TestIndex(t *testing.T) {
	k1 := mustKeyring(t, testKey(1))
	k2 := mustKeyring(t, testKey(2), testKey(1))
	a, b := k1.Index("phone", "13800005678"), k1.Index("phone", "13800005678")
	if !bytes.Equal(a, b) || len(a) != 32 {
		t.Errorf("Index is not a stable 32-byte hash: %x %x", a, b)
	}
	if bytes.Equal(a, k1.Index("phone", "13800005679")) {
		t.Error("two numbers hash equal")
	}
	if bytes.Equal(a, k1.Index("id_number", "13800005678")) {
		t.Error("the field does not separate the hashes")
	}
	if bytes.Equal(a, k2.Index("phone", "13800005678")) {
		t.Error("another key gives the same hash: the hash is not keyed")
	}
	all := k2.Indexes("phone", "13800005678")
	if len(all) != 2 || !bytes.Equal(all[0], k2.Index("phone", "13800005678")) || !bytes.Equal(all[1], a) {
		t.Errorf("Indexes = %x, want the current key's hash, then the old key's", all)
	}
	if k1.Index("phone", "") != nil || k1.Indexes("phone", "") != nil {
		t.Error("an empty value has a hash")
	}
}
