-- 0001: initial schema, the PostgreSQL counterpart of sqlite's 0001 and 0002.
--
-- Tables are created unqualified, so they land in the first schema of the
-- connection's search_path: several stores can share one database, each in its
-- own schema (?search_path=... in the connection URL).
--
-- seq columns are identity columns backed by a sequence, which never hands out
-- a value twice (not even after the newest row is deleted or a transaction
-- rolls back): a List cursor handed out earlier must sort before every later
-- record, and an outbox Seq must never repeat. Gaps are harmless.
--
-- Times are timestamptz, which keeps microseconds.

CREATE TABLE records (
    seq      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account  text        NOT NULL,
    kind     text        NOT NULL,
    instance text        NOT NULL,
    id       text        NOT NULL,
    name     text        NOT NULL DEFAULT '',
    data     bytea       NOT NULL,
    created  timestamptz NOT NULL,
    updated  timestamptz NOT NULL,
    UNIQUE (account, kind, instance, id)
);

-- Names are optional; when present they are unique within a listing scope.
CREATE UNIQUE INDEX records_name ON records (account, kind, instance, name) WHERE name <> '';
-- List: one scope in seq order.
CREATE INDEX records_list ON records (account, kind, instance, seq);
-- DeleteInstance: every kind of one instance.
CREATE INDEX records_instance ON records (account, instance);

CREATE TABLE idempotency (
    account      text        NOT NULL,
    operation    text        NOT NULL,
    token        text        NOT NULL,
    request_hash text        NOT NULL,
    response     bytea       NOT NULL,
    created      timestamptz NOT NULL,
    PRIMARY KEY (account, operation, token)
);

-- Expiry sweep.
CREATE INDEX idempotency_created ON idempotency (created);

-- The outbox. Every Update takes the same advisory lock before anything else
-- (see postgres.go), so seq order is commit order.
CREATE TABLE events (
    seq      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type     text        NOT NULL,
    account  text        NOT NULL,
    instance text        NOT NULL,
    subject  text        NOT NULL,
    payload  bytea       NOT NULL,
    time     timestamptz NOT NULL
);

-- Outbox consumers' positions.
CREATE TABLE cursors (
    consumer text   PRIMARY KEY,
    seq      bigint NOT NULL
);

-- Durable timers, for work due at a time (a contact's expiry, a scheduled task).
CREATE TABLE timers (
    account  text        NOT NULL,
    kind     text        NOT NULL,
    instance text        NOT NULL,
    subject  text        NOT NULL,
    due      timestamptz NOT NULL,
    PRIMARY KEY (account, kind, instance, subject)
);

CREATE INDEX timers_due ON timers (due);
