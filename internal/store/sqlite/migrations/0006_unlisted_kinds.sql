-- 0006: records of the kinds the service finds only by key leave records_list (see
-- unlisted in queries.go): an email's body, and attached files. Each new record put
-- an entry there at the end of its kind's range, in the middle of the index, where
-- SQLite rebalances a full leaf with its neighbours; under the email load that
-- rewrote 7 pages of the index a commit, a WAL frame each. List of those kinds still
-- works, through the key's index and a sort.
DROP INDEX records_list;
CREATE INDEX records_list ON records (account, kind, instance, seq)
    WHERE kind NOT IN ('email-body', 'file');
