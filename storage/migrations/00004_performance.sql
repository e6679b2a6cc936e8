-- Indexes and storage settings for the hot paths measured in BENCHMARKS.md.

-- +goose Up
-- Every logged follow-up moves its customer's last_touch_at (and maybe its stage): with
-- room left on each page and no index on those columns, Postgres updates the row in place
-- (a HOT update) instead of writing a new entry into each of the customer's six indexes,
-- the trigram one among them. That was most of what a quick log cost the database.
-- Pages written from now on keep a fifth free.
ALTER TABLE customers SET (fillfactor = 80);

-- The Home tab, `/followup due` and reminders list a person's pending next steps by due
-- time, ties by id: with the id in the index the list comes out in order, with no sort of
-- every pending step the person has.
DROP INDEX next_actions_pending_owner_idx;
CREATE INDEX next_actions_pending_owner_idx ON next_actions (owner_id, due_at, id) WHERE status IN ('open', 'snoozed');

-- Undoing a follow-up deletes its next actions by follow_up_id (and the foreign key's
-- ON DELETE SET NULL looks them up the same way): without an index, a scan of every
-- next step ever planned.
CREATE INDEX next_actions_follow_up_idx ON next_actions (follow_up_id) WHERE follow_up_id IS NOT NULL;

-- Senders claim due reminders in (send_after, id) order: with the id in the index a claim
-- reads its batch off the index instead of sorting everything that is due.
DROP INDEX reminders_pending_idx;
CREATE INDEX reminders_pending_idx ON reminders (send_after, id) WHERE status = 'pending';

-- No query reads reminders by recipient, and the index made every status change of every
-- reminder write one more index entry.
DROP INDEX reminders_recipient_idx;

-- The recipient of a reminder is always taken from a row whose own foreign key already
-- names a person (an action's or a customer's owner, a team's manager); checking it again
-- for each of thousands of reminders enqueued at once was a third of the enqueue's time.
ALTER TABLE reminders DROP CONSTRAINT reminders_recipient_id_fkey;

-- The digest counts each rep's new customers of the period: an index on creation time (a
-- column no update touches, so the customer's in-place updates stay so) finds a week's
-- few rows instead of every rep's whole book.
CREATE INDEX customers_created_idx ON customers (created_at);

-- The outbox's references to actions and customers are kept by delete triggers rather
-- than foreign keys: checking two keys for each of thousands of reminders enqueued at once
-- was half of the enqueue's time, and every reminder is built from the row it points to in
-- the same statement. What the foreign keys' ON DELETE CASCADE did, the triggers do; a
-- reminder whose action went away while it was being queued is cancelled by its sender.
ALTER TABLE reminders DROP CONSTRAINT reminders_action_id_fkey, DROP CONSTRAINT reminders_customer_id_fkey;
-- +goose StatementBegin
CREATE FUNCTION delete_action_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reminders WHERE action_id = OLD.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER next_actions_delete_reminders AFTER DELETE ON next_actions
    FOR EACH ROW EXECUTE FUNCTION delete_action_reminders();
-- +goose StatementBegin
CREATE FUNCTION delete_customer_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reminders WHERE customer_id = OLD.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER customers_delete_reminders AFTER DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION delete_customer_reminders();

-- +goose Down
DROP TRIGGER customers_delete_reminders ON customers;
DROP FUNCTION delete_customer_reminders();
DROP TRIGGER next_actions_delete_reminders ON next_actions;
DROP FUNCTION delete_action_reminders();
DELETE FROM reminders r WHERE (r.action_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM next_actions a WHERE a.id = r.action_id))
    OR (r.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = r.customer_id));
ALTER TABLE reminders
    ADD CONSTRAINT reminders_action_id_fkey FOREIGN KEY (action_id) REFERENCES next_actions (id) ON DELETE CASCADE,
    ADD CONSTRAINT reminders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
DROP INDEX customers_created_idx;
ALTER TABLE reminders ADD CONSTRAINT reminders_recipient_id_fkey FOREIGN KEY (recipient_id) REFERENCES people (slack_id);
CREATE INDEX reminders_recipient_idx ON reminders (recipient_id, status);
DROP INDEX reminders_pending_idx;
CREATE INDEX reminders_pending_idx ON reminders (send_after) WHERE status = 'pending';
DROP INDEX next_actions_follow_up_idx;
DROP INDEX next_actions_pending_owner_idx;
CREATE INDEX next_actions_pending_owner_idx ON next_actions (owner_id, due_at) WHERE status IN ('open', 'snoozed');
ALTER TABLE customers RESET (fillfactor);
