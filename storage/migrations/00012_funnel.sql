-- The funnel's lost reasons (followup.LostReasons): a move to lost records why, and the
-- customer keeps the reason while it stays lost. Until now nothing wrote one, so any text
-- found is kept as "other" rather than refused; from here on only the five reasons (or ''
-- for a move to any other stage) are allowed.

-- +goose Up
UPDATE stage_changes SET lost_reason = 'other'
WHERE lost_reason NOT IN ('', 'price', 'competitor', 'service', 'budget', 'other');
UPDATE customers SET lost_reason = 'other'
WHERE lost_reason NOT IN ('', 'price', 'competitor', 'service', 'budget', 'other');
ALTER TABLE stage_changes ADD CONSTRAINT stage_changes_lost_reason_check
    CHECK (lost_reason IN ('', 'price', 'competitor', 'service', 'budget', 'other'));
ALTER TABLE customers ADD CONSTRAINT customers_lost_reason_check
    CHECK (lost_reason IN ('', 'price', 'competitor', 'service', 'budget', 'other'));

-- +goose Down
ALTER TABLE customers DROP CONSTRAINT customers_lost_reason_check;
ALTER TABLE stage_changes DROP CONSTRAINT stage_changes_lost_reason_check;
