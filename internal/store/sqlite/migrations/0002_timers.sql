-- 0002: durable timers, for work due at a time (a contact's expiry, a scheduled task).

CREATE TABLE timers (
    account  TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    instance TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    due      INTEGER NOT NULL, -- unix nanoseconds
    PRIMARY KEY (account, kind, instance, subject)
) WITHOUT ROWID;

CREATE INDEX timers_due ON timers (due);
