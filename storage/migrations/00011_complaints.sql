-- Complaints with a resolution deadline, their reminders and escalations; satisfaction
-- surveys placed in time for the digest.

-- +goose Up
-- When the handler started on a complaint (Start handling), who resolved it, and when it
-- last changed.
ALTER TABLE complaints ADD COLUMN started_at timestamptz, ADD COLUMN resolved_by text NOT NULL DEFAULT '',
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- The scheduler finds open complaints whose deadline came (reminders) or passed long ago
-- (escalations) by due time; the Home tab lists a handler's open complaints by due time.
-- Both are partial on open complaints, so resolved history costs them nothing.
CREATE INDEX complaints_open_due_idx ON complaints (due_at) WHERE status <> 'resolved';
CREATE INDEX complaints_open_handler_idx ON complaints (handler_id, due_at) WHERE status <> 'resolved';
-- The digest counts complaints received and resolved in its period.
CREATE INDEX complaints_received_idx ON complaints (received_at);
CREATE INDEX complaints_resolved_idx ON complaints (resolved_at) WHERE status = 'resolved';
-- The customer card lists a customer's complaints, open and resolved.
CREATE INDEX complaints_customer_idx ON complaints (customer_id, received_at DESC);

-- Complaint reminders point at their complaint. As for actions and customers (00004), the
-- reference is kept by a delete trigger rather than a foreign key: a foreign key would be
-- checked for every reminder inserted, complaint or not, and the outbox takes thousands at
-- once.
ALTER TABLE reminders ADD COLUMN complaint_id bigint;
CREATE INDEX reminders_complaint_idx ON reminders (complaint_id) WHERE complaint_id IS NOT NULL;
-- +goose StatementBegin
CREATE FUNCTION delete_complaint_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reminders WHERE complaint_id = OLD.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER complaints_delete_reminders AFTER DELETE ON complaints
    FOR EACH ROW EXECUTE FUNCTION delete_complaint_reminders();

-- A survey's day as a moment (now when it is recorded the same day, else that day's
-- midday in the recorder's zone), as a follow-up's happened_at: the digest's periods are
-- moments, and a date alone does not say in which zone its day began. Rows from before
-- take midday UTC.
ALTER TABLE surveys ADD COLUMN surveyed_at timestamptz;
UPDATE surveys SET surveyed_at = (surveyed_on + time '12:00') AT TIME ZONE 'UTC';
ALTER TABLE surveys ALTER COLUMN surveyed_at SET NOT NULL;
CREATE INDEX surveys_at_idx ON surveys (surveyed_at);

-- +goose Down
DROP INDEX surveys_at_idx;
ALTER TABLE surveys DROP COLUMN surveyed_at;
DROP TRIGGER complaints_delete_reminders ON complaints;
DROP FUNCTION delete_complaint_reminders();
DROP INDEX reminders_complaint_idx;
DELETE FROM reminders WHERE complaint_id IS NOT NULL;
ALTER TABLE reminders DROP COLUMN complaint_id;
DROP INDEX complaints_customer_idx;
DROP INDEX complaints_resolved_idx;
DROP INDEX complaints_received_idx;
DROP INDEX complaints_open_handler_idx;
DROP INDEX complaints_open_due_idx;
ALTER TABLE complaints DROP COLUMN updated_at, DROP COLUMN resolved_by, DROP COLUMN started_at;
