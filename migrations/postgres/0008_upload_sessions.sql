-- 0008_upload_sessions: uploads that go straight to storage through pre-signed URLs (PostgreSQL; the same
-- table as migrations/sqlite/0008_upload_sessions.sql, which explains the life of a session).
--
-- Instants are bigint milliseconds since 1970-01-01T00:00:00Z (UTC).

CREATE TABLE upload_sessions (
    id                  text    COLLATE "C" NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    state               text    NOT NULL CHECK (state IN ('pending', 'verifying', 'accepted', 'rejected', 'expired', 'aborted')),
    staging_key         text    COLLATE "C" NOT NULL UNIQUE CHECK (staging_key LIKE 'quarantine/%'),
    document_key        text    COLLATE "C" NOT NULL UNIQUE CHECK (length(document_key) > 0),
    file_name           text    NOT NULL CHECK (length(file_name) > 0),
    size                bigint  NOT NULL CHECK (size > 0),
    sha256              text    CHECK (sha256 IS NULL OR length(sha256) = 64),
    category            text    NOT NULL,
    entity_type         text    NOT NULL,
    entity_id           text    NOT NULL,
    part_size           bigint  NOT NULL CHECK (part_size > 0),
    part_count          integer NOT NULL CHECK (part_count >= 1 AND part_count <= 10000),
    multipart_upload_id text,
    created_by          text    NOT NULL,
    created_at          bigint  NOT NULL,
    expires_at          bigint  NOT NULL,
    rejection_code      text
);

-- The sweep: WHERE state IN ('pending', 'verifying') AND expires_at < $1
CREATE INDEX upload_sessions_expiry ON upload_sessions (state, expires_at);
