// Package pii encrypts personal data at rest (contacts' phones and emails, customers'
// unified social credit codes and ID numbers) and computes the keyed hashes that let
// followup find a phone number without storing it in the clear.
//
// Every value is sealed with AES-256-GCM under a random 96-bit nonce into a small text
// envelope that names its key:
//
//	v1:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>
//
// The key id is a fingerprint of the key (8 hex digits), so an operator never names keys:
// the envelope says which key of the Keyring opens it, and a value under a key that is not
// configured is reported by that id. The envelope's header and the field the value belongs
// to (such as "contacts.phone") are authenticated as additional data, so a ciphertext
// copied into another column, or an edited key id, fails to open like any tampered value.
//
// Keys rotate: a Keyring holds the current key, which seals, and older keys, which only
// open. Each configured key (PII_KEY, PII_KEY_OLD) is a 32-byte master key from which
// HKDF-SHA256 derives the AES key, the HMAC key of the search index and the key id, so one
// secret never serves two purposes.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a master key: 32 bytes (openssl rand -base64 32).
const KeySize = 32

// version opens every envelope this package writes.
const version = "v1"

// Errors that Open returns; test with errors.Is. Their messages name no value.
var (
	// ErrUnknownKey: the value is sealed under a key the Keyring does not hold.
	ErrUnknownKey = errors.New("pii: sealed under a key that is not configured")
	// ErrTampered: the value does not authenticate under its key: altered, moved to
	// another field, or truncated.
	ErrTampered = errors.New("pii: value does not authenticate (tampered or moved)")
	// ErrMalformed: the value is not an envelope of this package.
	ErrMalformed = errors.New("pii: not a sealed value")
)

// key is one master key and what is derived from it.
type key struct {
	id    string
	aead  cipher.AEAD
	index []byte // HMAC-SHA256 key of the search index
}

// Keyring holds the current key, which seals, and older keys, which still open what they
// sealed until `followup rotate-key` has re-sealed it. It is safe for concurrent use.
type Keyring struct {
	keys []*key // the current one first
	byID map[string]*key
}

// NewKeyring returns a keyring sealing under current and opening under current and old.
// Every key must be KeySize bytes; a key given twice counts once.
func NewKeyring(current []byte, old ...[]byte) (*Keyring, error) {
	k := &Keyring{byID: map[string]*key{}}
	for i, master := range append([][]byte{current}, old...) {
		dk, err := deriveKey(master)
		if err != nil {
			if i == 0 {
				return nil, fmt.Errorf("pii: current key: %w", err)
			}
			return nil, fmt.Errorf("pii: old key %d: %w", i, err)
		}
		if _, dup := k.byID[dk.id]; dup {
			continue
		}
		k.byID[dk.id] = dk
		k.keys = append(k.keys, dk)
	}
	return k, nil
}

// deriveKey derives the AES key, the index key and the key id from a master key with
// HKDF-SHA256, each under its own label.
func deriveKey(master []byte) (*key, error) {
	if len(master) != KeySize {
		return nil, fmt.Errorf("want %d bytes, got %d", KeySize, len(master))
	}
	derive := func(label string, n int) []byte {
		b, err := hkdf.Key(sha256.New, master, nil, "followup/pii/"+label, n)
		if err != nil {
			panic(err) // only for lengths beyond 255 hash sizes
		}
		return b
	}
	block, err := aes.NewCipher(derive("aes-256-gcm", 32))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block) // the standard 96-bit nonce and 128-bit tag
	if err != nil {
		return nil, err
	}
	return &key{id: hex.EncodeToString(derive("key-id", 4)), aead: aead, index: derive("hmac-index", 32)}, nil
}

// CurrentKeyID is the id of the key that seals.
func (k *Keyring) CurrentKeyID() string { return k.keys[0].id }

// KeyIDs are the ids of every key held, the current one first.
func (k *Keyring) KeyIDs() []string {
	ids := make([]string, len(k.keys))
	for i, dk := range k.keys {
		ids[i] = dk.id
	}
	return ids
}

// Has reports whether the keyring holds the key with id.
func (k *Keyring) Has(id string) bool { _, ok := k.byID[id]; return ok }

// CurrentPrefix is how every value sealed under the current key starts; storage finds the
// values a rotation still has to re-seal by it.
func (k *Keyring) CurrentPrefix() string { return header(k.keys[0].id) }

func header(keyID string) string { return version + ":" + keyID + ":" }

// Seal encrypts plaintext for field (e.g. "contacts.phone") under the current key. The
// empty string stays empty: "no phone" needs no secret.
func (k *Keyring) Seal(field, plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	dk := k.keys[0]
	h := header(dk.id)
	nonce := make([]byte, dk.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("pii: nonce: %w", err)
	}
	sealed := dk.aead.Seal(nonce, nonce, []byte(plaintext), additionalData(h, field))
	return h + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts an envelope Seal made for the same field, under whichever key of the
// keyring sealed it. The empty string opens to the empty string.
func (k *Keyring) Open(field, envelope string) (string, error) {
	if envelope == "" {
		return "", nil
	}
	id, body, ok := split(envelope)
	if !ok {
		return "", ErrMalformed
	}
	dk, ok := k.byID[id]
	if !ok {
		return "", fmt.Errorf("%w: key %s", ErrUnknownKey, id)
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil || len(raw) < dk.aead.NonceSize()+dk.aead.Overhead() {
		return "", ErrTampered
	}
	n := dk.aead.NonceSize()
	plain, err := dk.aead.Open(nil, raw[:n], raw[n:], additionalData(header(id), field))
	if err != nil {
		return "", ErrTampered
	}
	return string(plain), nil
}

// additionalData binds a ciphertext to its header and its field.
func additionalData(header, field string) []byte { return []byte(header + field) }

// split takes an envelope apart; ok is false for anything else.
func split(envelope string) (keyID, body string, ok bool) {
	rest, found := strings.CutPrefix(envelope, version+":")
	if !found {
		return "", "", false
	}
	keyID, body, found = strings.Cut(rest, ":")
	if !found || len(keyID) != 8 || body == "" {
		return "", "", false
	}
	if _, err := hex.DecodeString(keyID); err != nil {
		return "", "", false
	}
	return keyID, body, true
}

// IsSealed reports whether s is an envelope (of any key), as opposed to a plaintext value
// written before personal data was encrypted.
func IsSealed(s string) bool {
	_, _, ok := split(s)
	return ok
}

// KeyID returns the id of the key that sealed envelope, "" when it is not an envelope.
func KeyID(envelope string) string {
	id, _, _ := split(envelope)
	return id
}

// Index is the keyed hash (HMAC-SHA256 under the current key's index key) of a value of
// field, already normalized by the caller (followup.PhoneMatchKey for phones). Equal values
// hash equal, so an index on the hash finds them; without the key, the hash says nothing,
// not even for a space as small as phone numbers. nil for the empty string.
func (k *Keyring) Index(field, normalized string) []byte {
	if normalized == "" {
		return nil
	}
	return index(k.keys[0], field, normalized)
}

// Indexes are the keyed hashes of a value under every key, the current one first: until a
// rotation has finished, a stored hash may be under an older key, so a lookup asks for any
// of them.
func (k *Keyring) Indexes(field, normalized string) [][]byte {
	if normalized == "" {
		return nil
	}
	out := make([][]byte, len(k.keys))
	for i, dk := range k.keys {
		out[i] = index(dk, field, normalized)
	}
	return out
}

func index(dk *key, field, normalized string) []byte {
	m := hmac.New(sha256.New, dk.index)
	m.Write([]byte(field))
	m.Write([]byte{0})
	m.Write([]byte(normalized))
	return m.Sum(nil)
}
