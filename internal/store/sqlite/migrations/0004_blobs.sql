-- 0004: small blob-store objects (see Blobs). An object of a few kilobytes costs a
-- file system four system calls and two fsyncs of its own; in this table it is a row
-- that shares its transaction's fsync with every write committed beside it.
CREATE TABLE blobs (
    seq      INTEGER PRIMARY KEY,
    key      TEXT    NOT NULL UNIQUE,
    size     INTEGER NOT NULL,
    modified INTEGER NOT NULL, -- unix nanoseconds
    data     BLOB    NOT NULL
);
