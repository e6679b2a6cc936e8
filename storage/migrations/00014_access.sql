-- +goose Up
-- A customer shared with a rep who does not own it: they see it and work on it (Allowed's
-- SeeCustomer and WorkOnCustomer rules) until the share is withdrawn. The owner, the
-- owner's manager and admins may share.
CREATE TABLE customer_shares (
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    slack_id    text NOT NULL REFERENCES people (slack_id),
    shared_by   text NOT NULL,
    shared_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, slack_id)
);
-- The typeahead and quick logs look for the customers shared with the person asking.
CREATE INDEX customer_shares_person_idx ON customer_shares (slack_id, customer_id);

-- +goose Down
DROP TABLE customer_shares;
