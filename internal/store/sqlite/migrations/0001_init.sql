-- 0001: initial schema.
--
-- seq orders listings by first insertion. AUTOINCREMENT (not just INTEGER
-- PRIMARY KEY) so a seq is never reused after the newest row is deleted: a
-- List cursor handed out earlier must sort before every later record, and an
-- outbox Seq must never repeat.

CREATE TABLE records (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    account  TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    instance TEXT    NOT NULL,
    id       TEXT    NOT NULL,
    name     TEXT    NOT NULL DEFAULT '',
    data     BLOB    NOT NULL,
    created  INTEGER NOT NULL, -- unix nanoseconds
    updated  INTEGER NOT NULL, -- unix nanoseconds
    UNIQUE (account, kind, instance, id)
);

-- Names are optional; when present they are unique within a listing scope.
CREATE UNIQUE INDEX records_name ON records (account, kind, instance, name) WHERE name <> '';
-- List: one scope in seq order.
CREATE INDEX records_list ON records (account, kind, instance, seq);
-- DeleteInstance: every kind of one instance.
CREATE INDEX records_instance ON records (account, instance);

CREATE TABLE idempotency (
    account      TEXT    NOT NULL,
    operation    TEXT    NOT NULL,
    token        TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    response     BLOB    NOT NULL,
    created      INTEGER NOT NULL, -- unix nanoseconds
    PRIMARY KEY (account, operation, token)
) WITHOUT ROWID;

-- Expiry sweep.
CREATE INDEX idempotency_created ON idempotency (created);

CREATE TABLE events (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    type     TEXT    NOT NULL,
    account  TEXT    NOT NULL,
    instance TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    payload  BLOB    NOT NULL,
    time     INTEGER NOT NULL -- unix nanoseconds
);

-- Outbox consumers' positions.
CREATE TABLE cursors (
    consumer TEXT    PRIMARY KEY,
    seq      INTEGER NOT NULL
) WITHOUT ROWID;
