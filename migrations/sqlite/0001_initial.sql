-- 0001_initial: the document index and the append-only audit trail.
--
-- Conventions: STRICT tables (SQLite >= 3.37) so a column only ever holds its declared type; instants are
-- INTEGER milliseconds since 1970-01-01T00:00:00Z (UTC), which sort and round-trip exactly; ids are lowercase
-- UUID text. Migrations only move forward: never edit this file once it has landed, add 0002_... instead.

CREATE TABLE documents (
    id            TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    key           TEXT    NOT NULL UNIQUE CHECK (length(key) > 0),
    file_name     TEXT    NOT NULL CHECK (length(file_name) > 0),
    -- lower-cased file name (Unicode lowercasing done in Swift) for case-insensitive search
    search_name   TEXT    NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    content_type  TEXT    NOT NULL CHECK (length(content_type) > 0),
    category      TEXT    NOT NULL CHECK (category IN (
                      'medical-records', 'lab-results', 'imaging', 'consent-forms', 'intake-forms',
                      'insurance', 'invoices', 'prescriptions', 'other')),
    entity_type   TEXT    NOT NULL CHECK (entity_type IN ('patient', 'provider', 'appointment', 'prescription')),
    entity_id     TEXT    NOT NULL CHECK (length(entity_id) > 0),
    sha256        TEXT    NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    etag          TEXT    NOT NULL,
    uploaded_at   INTEGER NOT NULL,
    uploaded_by   TEXT,
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    original_key  TEXT,
    archived_at   INTEGER,
    -- an archived row remembers where it came from and when; an active one has neither
    CHECK ((status = 'active' AND original_key IS NULL AND archived_at IS NULL)
        OR (status = 'archived' AND original_key IS NOT NULL AND archived_at IS NOT NULL))
) STRICT;

-- Listing: WHERE status = ? [AND category = ?] AND key > ? [AND search_name LIKE ?] ORDER BY key LIMIT ?
-- search_name rides along at the end so that a search filters index entries without reading table rows.
CREATE INDEX documents_status_key ON documents (status, key, search_name);
CREATE INDEX documents_status_category_key ON documents (status, category, key, search_name);
-- "Recent uploads": WHERE status = 'active' ORDER BY uploaded_at DESC LIMIT ?
CREATE INDEX documents_status_uploaded_at ON documents (status, uploaded_at);

-- Running totals per (status, category, content type), kept by the triggers below, so that storage
-- statistics read a handful of rows instead of scanning every document.
CREATE TABLE document_totals (
    status        TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    count         INTEGER NOT NULL CHECK (count >= 0),
    bytes         INTEGER NOT NULL CHECK (bytes >= 0),
    PRIMARY KEY (status, category, content_type)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER documents_totals_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO document_totals (status, category, content_type, count, bytes)
    VALUES (NEW.status, NEW.category, NEW.content_type, 1, NEW.size)
    ON CONFLICT (status, category, content_type) DO UPDATE SET count = count + 1, bytes = bytes + excluded.bytes;
END;

CREATE TRIGGER documents_totals_delete AFTER DELETE ON documents
BEGIN
    UPDATE document_totals SET count = count - 1, bytes = bytes - OLD.size
    WHERE status = OLD.status AND category = OLD.category AND content_type = OLD.content_type;
    DELETE FROM document_totals
    WHERE status = OLD.status AND category = OLD.category AND content_type = OLD.content_type AND count = 0;
END;

CREATE TRIGGER documents_totals_update AFTER UPDATE OF status, category, content_type, size ON documents
BEGIN
    UPDATE document_totals SET count = count - 1, bytes = bytes - OLD.size
    WHERE status = OLD.status AND category = OLD.category AND content_type = OLD.content_type;
    DELETE FROM document_totals
    WHERE status = OLD.status AND category = OLD.category AND content_type = OLD.content_type AND count = 0;
    INSERT INTO document_totals (status, category, content_type, count, bytes)
    VALUES (NEW.status, NEW.category, NEW.content_type, 1, NEW.size)
    ON CONFLICT (status, category, content_type) DO UPDATE SET count = count + 1, bytes = bytes + excluded.bytes;
END;

-- The audit trail: one row per audited operation, hash-chained (see AuditChain in Sources/Audit).
-- AUTOINCREMENT makes SQLite remember the highest sequence ever issued in sqlite_sequence, which is how
-- verification notices that the last rows were deleted.
CREATE TABLE audit_events (
    sequence        INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at     INTEGER NOT NULL,
    action          TEXT    NOT NULL CHECK (length(action) > 0),
    outcome         TEXT    NOT NULL CHECK (outcome IN ('success', 'rejected', 'denied', 'failed')),
    http_status     INTEGER,
    error_code      TEXT,
    document_id     TEXT,
    document_key    TEXT,
    actor_id        TEXT,
    actor_role      TEXT,
    break_glass     INTEGER NOT NULL CHECK (break_glass IN (0, 1)),
    reason          TEXT,
    client_address  TEXT,
    user_agent      TEXT,
    request_id      TEXT    NOT NULL,
    detail          TEXT,
    previous_hash   TEXT    NOT NULL CHECK (length(previous_hash) = 64),
    hash            TEXT    NOT NULL CHECK (length(hash) = 64)
) STRICT;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
