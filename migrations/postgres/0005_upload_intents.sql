-- 0005_upload_intents: the objects an upload may have stored before its document rows exist (PostgreSQL; the
-- same statements as migrations/sqlite/0005_upload_intents.sql, which explains the life of an intent).
--
-- An intent row is written before a file's first byte leaves for storage and deleted in the transaction that
-- inserts the file's document row; the abandoned-upload sweep marks old intents abandoned (abandoned_at), removes
-- their objects, then the rows. Instants are bigint milliseconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE upload_intents (
    key           text   COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(key) > 0),
    started_at    bigint NOT NULL,
    abandoned_at  bigint
);

-- The sweep: WHERE started_at < $1
CREATE INDEX upload_intents_started_at ON upload_intents (started_at);
