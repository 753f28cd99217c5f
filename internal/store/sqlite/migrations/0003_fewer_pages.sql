-- 0003: fewer pages written per stored contact. Every page a commit changes is a
-- frame in the WAL that the commit's fsync must write out, and the time a durable
-- write takes follows the number of frames.

-- DeleteInstance finds an instance's records kind by kind through records_list
-- (see qDeleteInstance); an index of its own cost a page per commit.
DROP INDEX records_instance;

-- Idempotency rows were keyed by (account, operation, token). Client tokens are
-- random, so each new row went to a random page of a B-tree of wide rows, and the
-- index on created, for the expiry sweep, took another page. Rows now go at the end,
-- in storing order, which the sweep follows (see qDeleteIdempotencyBefore); a lookup
-- goes through an index of 64-bit hashes of the key (see idempotencyKey), whose
-- entries are a fraction of a row's size.
CREATE TABLE idempotency_0003 (
    seq          INTEGER PRIMARY KEY,
    key          INTEGER NOT NULL, -- idempotencyKey(account, operation, token)
    account      TEXT    NOT NULL,
    operation    TEXT    NOT NULL,
    token        TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    response     BLOB    NOT NULL,
    created      INTEGER NOT NULL -- unix nanoseconds
);
INSERT INTO idempotency_0003 (key, account, operation, token, request_hash, response, created)
    SELECT connectlocal_idempotency_key(account, operation, token),
           account, operation, token, request_hash, response, created
    FROM idempotency ORDER BY created;
DROP TABLE idempotency;
ALTER TABLE idempotency_0003 RENAME TO idempotency;
CREATE INDEX idempotency_key ON idempotency (key);
