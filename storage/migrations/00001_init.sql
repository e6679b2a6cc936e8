-- The whole domain of DESIGN §1. Later features add columns or tables in new files;
-- this file never changes once released.

-- +goose Up
-- pg_trgm makes "a unique part of the name" lookups and the typeahead use an index
-- instead of scanning every customer. It is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE teams (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    manager_id  text,
    timezone    text,
    work_hours  text,
    work_days   text,
    calendar    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE people (
    slack_id    text PRIMARY KEY,
    name        text NOT NULL DEFAULT '',
    real_name   text NOT NULL DEFAULT '',
    email       text NOT NULL DEFAULT '',
    tz          text NOT NULL DEFAULT '',
    locale      text NOT NULL DEFAULT 'en',
    locale_override text,
    role        text NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'manager', 'admin')),
    team_id     bigint REFERENCES teams (id) ON DELETE SET NULL,
    work_hours  text,
    work_days   text,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_team_idx ON people (team_id);

ALTER TABLE teams ADD CONSTRAINT teams_manager_fk FOREIGN KEY (manager_id) REFERENCES people (slack_id) ON DELETE SET NULL;

-- A team's cadence per tier; the domain's defaults apply where a row is missing.
CREATE TABLE tier_cadences (
    team_id     bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    tier        text NOT NULL CHECK (tier IN ('S', 'A', 'B', 'C')),
    every_days  integer NOT NULL CHECK (every_days > 0),
    PRIMARY KEY (team_id, tier)
);

-- Customer codes are C + year + month + a sequence within the month (C202405001).
CREATE TABLE customer_code_counters (
    period      text PRIMARY KEY,
    last_value  integer NOT NULL
);

CREATE TABLE customers (
    id               bigserial PRIMARY KEY,
    code             text NOT NULL UNIQUE,
    name             text NOT NULL CHECK (name <> ''),
    kind             text NOT NULL DEFAULT 'company' CHECK (kind IN ('company', 'person')),
    industry         text NOT NULL DEFAULT '',
    size             text NOT NULL DEFAULT '',
    region           text NOT NULL DEFAULT '',
    address          text NOT NULL DEFAULT '',
    source           text NOT NULL DEFAULT '',
    first_contact_on date,
    owner_id         text NOT NULL REFERENCES people (slack_id),
    tier             text NOT NULL CHECK (tier IN ('S', 'A', 'B', 'C')),
    stage            text NOT NULL DEFAULT 'lead' CHECK (stage IN ('lead', 'intent', 'quoted', 'won', 'lost')),
    lost_reason      text NOT NULL DEFAULT '',
    churn_risk       boolean NOT NULL DEFAULT false,
    exception_note   text NOT NULL DEFAULT '',
    tags             text[] NOT NULL DEFAULT '{}',
    competitors      jsonb NOT NULL DEFAULT '[]',
    id_number_enc    bytea,
    notes            text NOT NULL DEFAULT '',
    last_touch_at    timestamptz,
    created_by       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_owner_idx ON customers (owner_id);
CREATE INDEX customers_lower_name_idx ON customers (lower(name));
CREATE INDEX customers_name_trgm_idx ON customers USING gin (lower(name) gin_trgm_ops);

CREATE TABLE contacts (
    id           bigserial PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name         text NOT NULL,
    title        text NOT NULL DEFAULT '',
    role         text NOT NULL DEFAULT '' CHECK (role IN ('', 'decision_maker', 'influencer', 'user')),
    phone        text NOT NULL DEFAULT '',
    email        text NOT NULL DEFAULT '',
    im           text NOT NULL DEFAULT '',
    is_primary   boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_customer_idx ON contacts (customer_id);
CREATE INDEX contacts_phone_idx ON contacts (phone) WHERE phone <> '';
CREATE UNIQUE INDEX contacts_one_primary_idx ON contacts (customer_id) WHERE is_primary;

CREATE TABLE follow_ups (
    id            bigserial PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    rep_id        text NOT NULL REFERENCES people (slack_id),
    happened_at   timestamptz NOT NULL,
    method        text NOT NULL CHECK (method IN ('phone', 'visit', 'video', 'email', 'sms', 'im', 'inbound', 'other')),
    duration_min  integer,
    summary       text NOT NULL CHECK (summary <> ''),
    feedback      text NOT NULL DEFAULT '',
    mood          text NOT NULL DEFAULT '' CHECK (mood IN ('', 'positive', 'hesitant', 'resistant')),
    departments   text[] NOT NULL DEFAULT '{}',
    source        text NOT NULL DEFAULT 'modal',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_ups_customer_idx ON follow_ups (customer_id, happened_at DESC);
CREATE INDEX follow_ups_rep_idx ON follow_ups (rep_id, happened_at DESC);

CREATE TABLE next_actions (
    id            bigserial PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    follow_up_id  bigint REFERENCES follow_ups (id) ON DELETE SET NULL,
    owner_id      text NOT NULL REFERENCES people (slack_id),
    text          text NOT NULL CHECK (text <> ''),
    due_at        timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'snoozed', 'cancelled')),
    done_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
-- Only pending actions are ever scanned by owner or by due time; a partial index stays
-- small however much history piles up.
CREATE INDEX next_actions_pending_owner_idx ON next_actions (owner_id, due_at) WHERE status IN ('open', 'snoozed');
CREATE INDEX next_actions_pending_due_idx ON next_actions (due_at) WHERE status IN ('open', 'snoozed');
CREATE INDEX next_actions_customer_idx ON next_actions (customer_id);

-- Every funnel move, so conversion and cycle time can be computed.
CREATE TABLE stage_changes (
    id           bigserial PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    from_stage   text,
    to_stage     text NOT NULL,
    lost_reason  text NOT NULL DEFAULT '',
    changed_by   text NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stage_changes_customer_idx ON stage_changes (customer_id, changed_at);
CREATE INDEX stage_changes_at_idx ON stage_changes (changed_at);

CREATE TABLE complaints (
    id            bigserial PRIMARY KEY,
    customer_id   bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    received_at   timestamptz NOT NULL,
    content       text NOT NULL CHECK (content <> ''),
    handler_id    text REFERENCES people (slack_id),
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved')),
    resolution    text NOT NULL DEFAULT '',
    due_at        timestamptz,
    resolved_at   timestamptz,
    satisfied     boolean,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_open_idx ON complaints (customer_id) WHERE status <> 'resolved';

CREATE TABLE surveys (
    id                bigserial PRIMARY KEY,
    customer_id       bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    surveyed_on       date NOT NULL,
    product_quality   smallint NOT NULL CHECK (product_quality BETWEEN 1 AND 5),
    service_attitude  smallint NOT NULL CHECK (service_attitude BETWEEN 1 AND 5),
    response_speed    smallint NOT NULL CHECK (response_speed BETWEEN 1 AND 5),
    after_sales       smallint NOT NULL CHECK (after_sales BETWEEN 1 AND 5),
    comment           text NOT NULL DEFAULT '',
    created_by        text NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX surveys_customer_idx ON surveys (customer_id, surveyed_on);

-- The reminder outbox: one row per message to send. dedup_key makes a reminder exist once
-- (action + due time, customer + cadence period) however many scheduler replicas run.
CREATE TABLE reminders (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL,
    dedup_key     text NOT NULL UNIQUE,
    recipient_id  text NOT NULL REFERENCES people (slack_id),
    action_id     bigint REFERENCES next_actions (id) ON DELETE CASCADE,
    customer_id   bigint REFERENCES customers (id) ON DELETE CASCADE,
    payload       jsonb NOT NULL DEFAULT '{}',
    send_after    timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text NOT NULL DEFAULT '',
    claimed_at    timestamptz,
    sent_at       timestamptz,
    channel_id    text NOT NULL DEFAULT '',
    message_ts    text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- Senders only look at pending rows; the partial index keeps the due scan independent of
-- how many reminders were already sent.
CREATE INDEX reminders_pending_idx ON reminders (send_after) WHERE status = 'pending';

-- Who created, changed, exported, handed over or viewed sensitive data. Rows are never
-- altered: the trigger below refuses it even to the application's own role.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    text NOT NULL,
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text NOT NULL,
    surface     text NOT NULL DEFAULT '',
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_is_append_only();
DROP TABLE reminders;
DROP TABLE surveys;
DROP TABLE complaints;
DROP TABLE stage_changes;
DROP TABLE next_actions;
DROP TABLE follow_ups;
DROP TABLE contacts;
DROP TABLE customers;
DROP TABLE customer_code_counters;
DROP TABLE tier_cadences;
ALTER TABLE teams DROP CONSTRAINT teams_manager_fk;
DROP TABLE people;
DROP TABLE teams;
