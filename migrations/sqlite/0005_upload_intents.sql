-- 0005_upload_intents: the objects an upload may have stored before its document rows exist.
--
-- An upload stores each file's object first and inserts the document rows (with their audit rows) in one
-- transaction at the end. A crash in between would leave objects that no row knows of. So an intent row is
-- written before a file's first byte leaves for storage, and deleted in the transaction that inserts the
-- file's document row; a failed request deletes its objects and then its intents. What remains belongs to
-- an upload that died: the abandoned-upload sweep (at start-up, then periodically) removes the objects of
-- intents older than a grace (another node may still be receiving a younger one), then the intents.
--
-- The sweep first marks an intent abandoned (abandoned_at), then removes the object, then the row; the
-- committing upload deletes only unmarked intents and fails if one of its own was marked, so a slow upload
-- and the sweep can never both win (no document row whose object was swept).
--
-- Portable SQL (the same statements run on PostgreSQL): no STRICT or WITHOUT ROWID; BIGINT milliseconds since
-- 1970-01-01T00:00:00Z (UTC) like every other instant in the schema.

CREATE TABLE upload_intents (
    key           TEXT   NOT NULL PRIMARY KEY CHECK (length(key) > 0),
    started_at    BIGINT NOT NULL,
    abandoned_at  BIGINT
);

-- The sweep: WHERE started_at < ?
CREATE INDEX upload_intents_started_at ON upload_intents (started_at);
