-- 0005: the idempotency rows' index moves into memory (see tokenIndex). Client tokens
-- are random, so each new row's entry went to a random page of this index: a WAL frame
-- of its own for nearly every write that carries a token. The key column stays, and
-- the index in memory is built from it when the database opens.
DROP INDEX idempotency_key;
