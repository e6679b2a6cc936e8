-- Personal data encrypted at rest (DESIGN §1). Contacts' phones and emails, and customers'
-- unified social credit codes or ID numbers, are stored as envelopes of the pii package
-- (v1:<key id>:<base64 of nonce, AES-256-GCM ciphertext and tag>), sealed by the
-- application under PII_KEY; the database never sees them in the clear.
--
-- Phones are found (the duplicate check, an import's matching) through phone_hash, an
-- HMAC-SHA256 of the number's canonical form (followup.PhoneMatchKey) under a key derived
-- from PII_KEY; ID numbers likewise through id_number_hash. The plaintext index on phones
-- goes.
--
-- Rows written before this migration keep their plaintext, now in the *_enc columns, until
-- `followup serve` seals them at start-up (or `followup rotate-key` does); the checks below
-- are NOT VALID so that those rows do not stop the migration, and hold for every row
-- written from now on. Once nothing is left in the clear, serve validates them, and from
-- then on Postgres itself refuses a plaintext value.

-- +goose Up
ALTER TABLE contacts RENAME COLUMN phone TO phone_enc;
ALTER TABLE contacts RENAME COLUMN email TO email_enc;
ALTER TABLE contacts ADD COLUMN phone_hash bytea;
DROP INDEX contacts_phone_idx;
CREATE INDEX contacts_phone_hash_idx ON contacts (phone_hash) WHERE phone_hash IS NOT NULL;
ALTER TABLE contacts ADD CONSTRAINT contacts_phone_sealed CHECK (phone_enc = '' OR phone_enc LIKE 'v1:%') NOT VALID;
ALTER TABLE contacts ADD CONSTRAINT contacts_email_sealed CHECK (email_enc = '' OR email_enc LIKE 'v1:%') NOT VALID;

-- 00001 reserved a bytea column that nothing ever wrote; the envelope is text, like the
-- contacts' columns. The hash's index is partial: most customers have no ID number, and a
-- quick log's update of the customer's row touches neither column, so it stays in place.
ALTER TABLE customers DROP COLUMN id_number_enc;
ALTER TABLE customers ADD COLUMN id_number_enc text NOT NULL DEFAULT ''
    CONSTRAINT customers_id_number_sealed CHECK (id_number_enc = '' OR id_number_enc LIKE 'v1:%');
ALTER TABLE customers ADD COLUMN id_number_hash bytea;
CREATE INDEX customers_id_number_hash_idx ON customers (id_number_hash) WHERE id_number_hash IS NOT NULL;

-- The audit trail of a customer is listed newest first, paged by id.
CREATE INDEX audit_log_entity_id_idx ON audit_log (entity, entity_id, id);

-- TRUNCATE fires no row trigger: without this, the application's role could still empty
-- the append-only log in one statement.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- +goose Down
-- Going back leaves phones and emails sealed in their old columns (only an application
-- with the key can read them) and drops the ID numbers, which 00001 had no column for.
DROP TRIGGER audit_log_no_truncate ON audit_log;
DROP INDEX audit_log_entity_id_idx;
DROP INDEX customers_id_number_hash_idx;
ALTER TABLE customers DROP COLUMN id_number_hash;
ALTER TABLE customers DROP COLUMN id_number_enc;
ALTER TABLE customers ADD COLUMN id_number_enc bytea;
ALTER TABLE contacts DROP CONSTRAINT contacts_email_sealed;
ALTER TABLE contacts DROP CONSTRAINT contacts_phone_sealed;
DROP INDEX contacts_phone_hash_idx;
ALTER TABLE contacts DROP COLUMN phone_hash;
ALTER TABLE contacts RENAME COLUMN email_enc TO email;
ALTER TABLE contacts RENAME COLUMN phone_enc TO phone;
CREATE INDEX contacts_phone_idx ON contacts (phone) WHERE phone <> '';
