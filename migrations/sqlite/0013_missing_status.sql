-- 0013_missing_status: a document row may be `missing`, the status `medvault reconcile --fix` gives a row whose object
-- is gone from the store. A missing row is listed to administrators with its status, never served or pre-signed, and
-- hidden from everyone else's listings; it stays so the audit trail keeps pointing at something real.
--
-- A missing row keeps what it was before: an active one has neither `original_key` nor `archived_at`, an archived one
-- both. The statuses are counted in `document_totals` like the others (statistics only report active and archived).
--
-- SQLite cannot change a CHECK in place, so the table is rebuilt as 0011_media_categories did it: a new table carrying
-- every column (those of 0001, the legal hold of 0009, the media categories of 0011), the rows copied with their
-- rowids (the filename-search index of 0003 refers to rows by rowid), the old table dropped, the new one renamed, and
-- every index and trigger created again exactly as before. The revocations of 0010 and the storage classes of 0012
-- keep their rows: GRDB runs each migration with foreign keys off (checking them before it commits), so dropping the
-- old table cascades nothing. The copy fires no trigger, so the running totals stay as they are.
--
-- Never edit this file once it has landed.

CREATE TABLE documents_new (
    id            TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    key           TEXT    NOT NULL UNIQUE CHECK (length(key) > 0),
    file_name     TEXT    NOT NULL CHECK (length(file_name) > 0),
    -- lower-cased file name (Unicode lowercasing done in Swift) for case-insensitive search
    search_name   TEXT    NOT NULL,
    size          INTEGER NOT NULL CHECK (size > 0),
    content_type  TEXT    NOT NULL CHECK (length(content_type) > 0),
    category      TEXT    NOT NULL CHECK (category IN (
                      'medical-records', 'lab-results', 'imaging', 'consent-forms', 'intake-forms',
                      'insurance', 'invoices', 'prescriptions', 'other',
                      'therapy-media', 'profile-photo', 'verification-photo', 'chat-image')),
    entity_type   TEXT    NOT NULL CHECK (entity_type IN ('patient', 'provider', 'appointment', 'prescription')),
    entity_id     TEXT    NOT NULL CHECK (length(entity_id) > 0),
    sha256        TEXT    NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    etag          TEXT    NOT NULL,
    uploaded_at   INTEGER NOT NULL,
    uploaded_by   TEXT,
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived', 'missing')),
    original_key  TEXT,
    archived_at   INTEGER,
    -- the legal hold of 0009_legal_hold, with its checks
    hold_reason   TEXT    CHECK (length(hold_reason) BETWEEN 1 AND 500),
    held_at       INTEGER CHECK ((hold_reason IS NULL) = (held_at IS NULL)),
    held_by       TEXT    CHECK (held_by IS NULL OR hold_reason IS NOT NULL),
    -- an archived row remembers where it came from and when; an active one has neither; a missing one keeps either
    CHECK ((status = 'active' AND original_key IS NULL AND archived_at IS NULL)
        OR (status = 'archived' AND original_key IS NOT NULL AND archived_at IS NOT NULL)
        OR (status = 'missing' AND (original_key IS NULL) = (archived_at IS NULL)))
) STRICT;

INSERT INTO documents_new (rowid, id, key, file_name, search_name, size, content_type, category, entity_type, entity_id, sha256, etag, uploaded_at, uploaded_by, status, original_key, archived_at, hold_reason, held_at, held_by)
SELECT rowid, id, key, file_name, search_name, size, content_type, category, entity_type, entity_id, sha256, etag, uploaded_at, uploaded_by, status, original_key, archived_at, hold_reason, held_at, held_by FROM documents;

DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;

CREATE INDEX documents_status_key ON documents (status, key, search_name);

CREATE INDEX documents_status_category_key ON documents (status, category, key, search_name);

CREATE INDEX documents_status_uploaded_at ON documents (status, uploaded_at);

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

CREATE INDEX documents_status_entity ON documents (status, entity_type, entity_id, key);

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO documents_search (rowid, search_name) VALUES (NEW.rowid, NEW.search_name);
END;

CREATE TRIGGER documents_search_delete AFTER DELETE ON documents
BEGIN
    INSERT INTO documents_search (documents_search, rowid, search_name) VALUES ('delete', OLD.rowid, OLD.search_name);
END;

CREATE TRIGGER documents_search_update AFTER UPDATE OF search_name ON documents
BEGIN
    INSERT INTO documents_search (documents_search, rowid, search_name) VALUES ('delete', OLD.rowid, OLD.search_name);
    INSERT INTO documents_search (rowid, search_name) VALUES (NEW.rowid, NEW.search_name);
END;
