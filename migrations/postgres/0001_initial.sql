-- 0001_initial: the document index and the append-only audit trail (PostgreSQL; mirrors
-- migrations/sqlite/0001_initial.sql).
--
-- Conventions, the same as on SQLite so both engines store the same values: instants are bigint milliseconds
-- since 1970-01-01T00:00:00Z (UTC), which sort and round-trip exactly; ids are lowercase UUID text. Keys, emails
-- and patient ids are COLLATE "C" so that ORDER BY and key ranges compare bytewise (UTF-8 code point order), as
-- SQLite does, whatever the database's locale: listing pages and continuation tokens then mean the same on both
-- engines. Migrations only move forward: never edit this file once it has landed, add 0002_... instead.

CREATE TABLE documents (
    id            text    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    key           text    COLLATE "C" NOT NULL UNIQUE CHECK (length(key) > 0),
    file_name     text    NOT NULL CHECK (length(file_name) > 0),
    -- lower-cased file name (Unicode lowercasing done in Swift) for case-insensitive search
    search_name   text    COLLATE "C" NOT NULL,
    size          bigint  NOT NULL CHECK (size > 0),
    content_type  text    NOT NULL CHECK (length(content_type) > 0),
    category      text    NOT NULL CHECK (category IN (
                      'medical-records', 'lab-results', 'imaging', 'consent-forms', 'intake-forms',
                      'insurance', 'invoices', 'prescriptions', 'other')),
    entity_type   text    NOT NULL CHECK (entity_type IN ('patient', 'provider', 'appointment', 'prescription')),
    entity_id     text    NOT NULL CHECK (length(entity_id) > 0),
    sha256        text    NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    etag          text    NOT NULL,
    uploaded_at   bigint  NOT NULL,
    uploaded_by   text,
    status        text    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    original_key  text,
    archived_at   bigint,
    -- the order rows were inserted in, which breaks ties between uploads of the same millisecond in "recent
    -- uploads" (SQLite uses its rowid for this)
    inserted      bigint  GENERATED ALWAYS AS IDENTITY,
    -- an archived row remembers where it came from and when; an active one has neither
    CHECK ((status = 'active' AND original_key IS NULL AND archived_at IS NULL)
        OR (status = 'archived' AND original_key IS NOT NULL AND archived_at IS NOT NULL))
);

-- Listing: WHERE status = $1 [AND category = $2] AND key > $3 ORDER BY key LIMIT $4
CREATE INDEX documents_status_key ON documents (status, key);
CREATE INDEX documents_status_category_key ON documents (status, category, key);
-- "Recent uploads": WHERE status = 'active' ORDER BY uploaded_at DESC, inserted DESC LIMIT $1
CREATE INDEX documents_status_uploaded_at ON documents (status, uploaded_at, inserted);

-- Running totals per (status, category, content type), kept by the trigger below, so that storage statistics
-- read a handful of rows instead of scanning every document.
CREATE TABLE document_totals (
    status        text    NOT NULL,
    category      text    NOT NULL,
    content_type  text    NOT NULL,
    count         bigint  NOT NULL CHECK (count >= 0),
    bytes         bigint  NOT NULL CHECK (bytes >= 0),
    PRIMARY KEY (status, category, content_type)
);

CREATE FUNCTION document_totals_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE document_totals SET count = count - 1, bytes = bytes - OLD.size
        WHERE status = OLD.status AND category = OLD.category AND content_type = OLD.content_type;
        DELETE FROM document_totals
        WHERE status = OLD.status AND category = OLD.category AND content_type = OLD.content_type AND count = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO document_totals AS totals (status, category, content_type, count, bytes)
        VALUES (NEW.status, NEW.category, NEW.content_type, 1, NEW.size)
        ON CONFLICT (status, category, content_type)
        DO UPDATE SET count = totals.count + 1, bytes = totals.bytes + excluded.bytes;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER documents_totals_insert_delete AFTER INSERT OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION document_totals_follow();
CREATE TRIGGER documents_totals_update AFTER UPDATE OF status, category, content_type, size ON documents
    FOR EACH ROW EXECUTE FUNCTION document_totals_follow();

-- The audit trail: one row per audited operation, hash-chained (see AuditChain in Sources/Audit). Sequences are
-- not drawn from a PostgreSQL sequence (which would leave gaps on rollback): the writer takes the chain head
-- below FOR UPDATE, numbers its rows from it and raises it in the same transaction.
CREATE TABLE audit_events (
    sequence        bigint  PRIMARY KEY CHECK (sequence > 0),
    occurred_at     bigint  NOT NULL,
    action          text    NOT NULL CHECK (length(action) > 0),
    outcome         text    NOT NULL CHECK (outcome IN ('success', 'rejected', 'denied', 'failed')),
    http_status     integer,
    error_code      text,
    document_id     text,
    document_key    text    COLLATE "C",
    actor_id        text,
    actor_role      text,
    break_glass     boolean NOT NULL,
    reason          text,
    client_address  text,
    user_agent      text,
    request_id      text    NOT NULL,
    detail          text,
    previous_hash   text    NOT NULL CHECK (length(previous_hash) = 64),
    hash            text    NOT NULL CHECK (length(hash) = 64)
);

-- The chain's head: the highest sequence ever issued (what sqlite_sequence remembers on SQLite), so that
-- verification notices deleted last rows. One row; every append locks it until its transaction ends, which is
-- what serialises appends from every node into one chain.
CREATE TABLE audit_chain_head (
    singleton         boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    highest_sequence  bigint  NOT NULL CHECK (highest_sequence >= 0)
);
INSERT INTO audit_chain_head (singleton, highest_sequence) VALUES (true, 0);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- The head only moves forward and is never removed.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.highest_sequence < OLD.highest_sequence OR NEW.singleton <> OLD.singleton THEN
        RAISE EXCEPTION 'audit_chain_head only moves forward';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
