-- Spreadsheet imports (followup import FILE, or a file sent to the bot). import_key is a
-- follow-up's idempotency key (followup.ImportKey: customer, day, method and summary), so
-- a sheet imported twice, or by two admins at once, never creates a follow-up twice.
-- The index is partial: follow-ups logged in Slack have no key and cost it nothing, which
-- keeps the quick-log path as it was.

-- +goose Up
ALTER TABLE follow_ups ADD COLUMN import_key text;
CREATE UNIQUE INDEX follow_ups_import_key_idx ON follow_ups (import_key) WHERE import_key IS NOT NULL;

-- +goose Down
DROP INDEX follow_ups_import_key_idx;
ALTER TABLE follow_ups DROP COLUMN import_key;
