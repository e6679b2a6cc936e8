-- The digest counts each rep's next steps that were done, and that fell due, in a period.
-- Pending steps are already served by next_actions_pending_owner_idx; these two cover the
-- done ones, which would otherwise mean a scan of every step ever planned (DESIGN §4: a
-- digest over a million follow-ups in under 100 ms). Both are partial on status = 'done':
-- a step is inserted open, so logging a follow-up maintains neither and the quick-log path
-- pays nothing for them; marking a step done already writes every index entry anew, since
-- status is in the other partial indexes' predicates.

-- +goose Up
CREATE INDEX next_actions_done_owner_due_idx ON next_actions (owner_id, due_at) WHERE status = 'done';
CREATE INDEX next_actions_done_owner_at_idx ON next_actions (owner_id, done_at) WHERE status = 'done';

-- +goose Down
DROP INDEX next_actions_done_owner_at_idx;
DROP INDEX next_actions_done_owner_due_idx;
