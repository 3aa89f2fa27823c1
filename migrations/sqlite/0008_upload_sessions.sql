-- 0008_upload_sessions: uploads that go straight to storage through pre-signed URLs.
--
-- `POST /api/v2/aws/s3/uploads` records a session before it signs anything; the client then sends the bytes to
-- the session's staging key (quarantine/{id}, never served) and asks medvault to complete it. Completion moves the
-- session to `verifying`, checks what actually arrived, and then either accepts it (the document row, its audit
-- row and the session's `accepted` state commit together) or rejects it (the staged object is deleted). A session
-- nobody completes expires: the sweep removes its staged object or multipart upload and marks it `expired`.
--
-- Portable SQL (the same statements run on PostgreSQL); instants are BIGINT milliseconds since 1970 (UTC).

CREATE TABLE upload_sessions (
    id                  TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    state               TEXT    NOT NULL CHECK (state IN ('pending', 'verifying', 'accepted', 'rejected', 'expired', 'aborted')),
    staging_key         TEXT    NOT NULL UNIQUE CHECK (staging_key LIKE 'quarantine/%'),
    document_key        TEXT    NOT NULL UNIQUE CHECK (length(document_key) > 0),
    file_name           TEXT    NOT NULL CHECK (length(file_name) > 0),
    size                BIGINT  NOT NULL CHECK (size > 0),
    sha256              TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
    category            TEXT    NOT NULL,
    entity_type         TEXT    NOT NULL,
    entity_id           TEXT    NOT NULL,
    part_size           BIGINT  NOT NULL CHECK (part_size > 0),
    part_count          INTEGER NOT NULL CHECK (part_count >= 1 AND part_count <= 10000),
    multipart_upload_id TEXT,
    created_by          TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    expires_at          BIGINT  NOT NULL,
    rejection_code      TEXT
);

-- The sweep: WHERE state IN ('pending', 'verifying') AND expires_at < ?
CREATE INDEX upload_sessions_expiry ON upload_sessions (state, expires_at);
