package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/followuphq/followup/config"
	"github.com/followuphq/followup/pii"
	"github.com/followuphq/followup/sandbox"
	"github.com/followuphq/followup/storage"
)

const rotateUsage = `usage: followup rotate-key [--batch N]
  re-encrypts every personal value (contacts' phones and emails, customers' ID numbers)
  under PII_KEY, opening what older keys sealed with PII_KEY_OLD; safe to run while the
  bot serves, and to stop and run again
  --batch    rows per transaction (default 500)`

// keyring is the keyring of the configured keys; nil when PII_KEY is unset.
func keyring(cfg config.Config) (*pii.Keyring, error) {
	if cfg.PIIKey == nil {
		return nil, nil
	}
	k, err := pii.NewKeyring(cfg.PIIKey, cfg.PIIOldKeys...)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return k, nil
}

// serveKeyring is the keyring serve runs with: the configured one, else, for the sandbox
// only, the sandbox's public key, so that `make run` works with no configuration at all
// and still never writes a phone number in the clear. Real serve cannot get here without
// PII_KEY (config.RequireServe).
func serveKeyring(cfg config.Config, useSandbox bool, log *slog.Logger) (*pii.Keyring, error) {
	if cfg.PIIKey == nil && useSandbox {
		log.Warn("PII_KEY is not set: the sandbox seals personal data with its built-in key, which is public; set PII_KEY before you enter real data")
		return pii.NewKeyring(sandbox.PIIKey())
	}
	return keyring(cfg)
}

// unknownKeys lists the key ids that seal stored values and that k does not hold.
func unknownKeys(status storage.PersonalDataStatus, k *pii.Keyring) []string {
	var ids []string
	for id := range status.ByKey {
		if !k.Has(id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// errUnknownKeys says which keys are missing, by id (an id is a fingerprint, no secret).
func errUnknownKeys(ids []string, status storage.PersonalDataStatus) error {
	n := 0
	sandboxKey, _ := pii.NewKeyring(sandbox.PIIKey())
	named := make([]string, len(ids))
	for i, id := range ids {
		n += status.ByKey[id]
		named[i] = id
		if id == sandboxKey.CurrentKeyID() {
			named[i] += " (the sandbox's built-in key, sandbox.PIIKey)"
		}
	}
	return fmt.Errorf("personal data: %d stored values are encrypted under key %s, which neither PII_KEY nor PII_KEY_OLD holds: "+
		"add the key they were written with to PII_KEY_OLD (then run followup rotate-key)", n, strings.Join(named, ", "))
}

// preparePersonalData is what serve does before it serves: it refuses to run when stored
// personal data is sealed under a key it was not given (the bot could not show or match
// it), seals what an older version stored in the clear, and says when a rotation is due.
func preparePersonalData(ctx context.Context, db *storage.DB, k *pii.Keyring, log *slog.Logger) error {
	status, err := db.PersonalDataStatus(ctx)
	if err != nil {
		return err
	}
	if ids := unknownKeys(status, k); len(ids) > 0 {
		return errUnknownKeys(ids, status)
	}
	if status.Plaintext > 0 || !status.Validated {
		report, err := db.ResealPersonalData(ctx, storage.ResealOptions{PlaintextOnly: true, ActorID: "serve", Surface: "startup"})
		if err != nil {
			return fmt.Errorf("personal data: encrypt what was stored in the clear: %w", err)
		}
		if report.Contacts+report.Customers > 0 {
			log.Info("personal data stored in the clear is now encrypted", "contacts", report.Contacts, "customers", report.Customers, "key", report.KeyID)
		}
	}
	if old := sumOthers(status, k.CurrentKeyID()); old > 0 {
		log.Warn("personal data is still encrypted under an older key: run followup rotate-key", "values", old, "current_key", k.CurrentKeyID())
	}
	return nil
}

func rotateKey(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	flags := flag.NewFlagSet("rotate-key", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	batch := flags.Int("batch", storage.DefaultResealBatch, "")
	if err := flags.Parse(args); err != nil || flags.NArg() > 0 || *batch < 1 {
		return errors.New(rotateUsage)
	}
	db, cfg, err := openChecked(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	k, err := keyring(cfg)
	if err != nil {
		return err
	}
	before, err := db.PersonalDataStatus(ctx)
	if err != nil {
		return err
	}
	if ids := unknownKeys(before, k); len(ids) > 0 {
		return errUnknownKeys(ids, before)
	}
	report, err := db.ResealPersonalData(ctx, storage.ResealOptions{BatchSize: *batch, ActorID: "cli", Surface: "cli"})
	fmt.Fprintf(stdout, "re-encrypted under key %s: %d contacts, %d customers\n", k.CurrentKeyID(), report.Contacts, report.Customers)
	if err != nil {
		return fmt.Errorf("rotate-key: %w (what was done is kept: run it again to go on)", err)
	}
	after, err := db.PersonalDataStatus(ctx)
	if err != nil {
		return err
	}
	if left := after.Plaintext + sumOthers(after, k.CurrentKeyID()); left > 0 {
		// Written meanwhile by a replica that still seals under the old key.
		return fmt.Errorf("rotate-key: %d values are still under another key: give every replica the new PII_KEY, then run it again", left)
	}
	if len(k.KeyIDs()) > 1 {
		fmt.Fprintf(stdout, "every personal value is under key %s: PII_KEY_OLD is no longer needed\n", k.CurrentKeyID())
	} else {
		fmt.Fprintf(stdout, "every personal value is under key %s\n", k.CurrentKeyID())
	}
	return nil
}

// sumOthers counts the values sealed under another key than current.
func sumOthers(s storage.PersonalDataStatus, current string) int {
	n := 0
	for id, v := range s.ByKey {
		if id != current {
			n += v
		}
	}
	return n
}
