-- The default contact cadence per tier, in days, for teams that set none. It mirrors
-- followup.DefaultCadence; a storage test fails if the two disagree.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION tier_default_days(tier text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE tier WHEN 'S' THEN 1 WHEN 'A' THEN 3 WHEN 'B' THEN 7 ELSE 30 END
$$;
-- +goose StatementEnd

-- Reminders are looked up by what they are about when a button changes it.
CREATE INDEX reminders_action_idx ON reminders (action_id) WHERE action_id IS NOT NULL;
CREATE INDEX reminders_recipient_idx ON reminders (recipient_id, status);
CREATE INDEX people_team_manager_idx ON teams (manager_id);
-- Claims that a crashed sender left behind are found through this small index.
CREATE INDEX reminders_sending_idx ON reminders (claimed_at) WHERE status = 'sending';

-- +goose Down
DROP INDEX reminders_sending_idx;
DROP INDEX people_team_manager_idx;
DROP INDEX reminders_recipient_idx;
DROP INDEX reminders_action_idx;
DROP FUNCTION tier_default_days(text);
