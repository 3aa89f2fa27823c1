-- 0006_sign_in_throttle: the token buckets that throttle password sign-in, one per client address and one per
-- account identifier, kept in the database so that every node sharing it sees the same buckets.
--
-- Each bucket is kept as one instant: `empty_at`, when it was (or would have been) last empty. Its level at
-- `now` is (now - empty_at) / refill interval tokens, capped at its size, so no row is needed for a full
-- bucket and taking a token is moving `empty_at` one interval on (see Persistence's TokenBucket). The
-- intervals and sizes are configuration, not data. Keys are `address:` or `account:` followed by a keyed
-- hash of the address or of what was typed (Server's IdentifierHasher): nothing typed is stored.
--
-- Plain SQL on purpose (no STRICT, no WITHOUT ROWID, no SQLite functions), so the PostgreSQL migration is
-- the same text: TEXT and BIGINT mean the same there. Instants are milliseconds since 1970 (UTC), as
-- everywhere else. Never edit this file once it has landed; add 0005_... instead.

CREATE TABLE sign_in_buckets (
    bucket_key  TEXT   NOT NULL PRIMARY KEY CHECK (length(bucket_key) > 0),
    empty_at    BIGINT NOT NULL
);

-- Housekeeping: DELETE FROM sign_in_buckets WHERE empty_at <= ? (buckets that are full again).
CREATE INDEX sign_in_buckets_empty_at ON sign_in_buckets (empty_at);
