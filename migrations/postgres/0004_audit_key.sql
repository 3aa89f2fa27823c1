-- 0004_audit_key: the audit chain becomes keyed (PostgreSQL; mirrors migrations/sqlite/0004_audit_key.sql). Every
-- row written from now on carries chain_version 2 and, in `hash`, an HMAC-SHA256 under the audit key
-- (MEDVAULT_AUDIT_KEY, never in the database), so someone who can write the database but does not hold the key
-- cannot rewrite a row and rebuild the chain after it. Rows already stored keep chain_version 1.

ALTER TABLE audit_events ADD COLUMN chain_version smallint NOT NULL DEFAULT 1 CHECK (chain_version IN (1, 2));

-- Where keying began: rows up to this sequence may be unkeyed, every later row must be keyed. One row, written
-- here, never changed.
CREATE TABLE audit_chain_keying (
    unkeyed_through bigint NOT NULL CHECK (unkeyed_through >= 0)
);

INSERT INTO audit_chain_keying (unkeyed_through)
SELECT greatest(
    (SELECT highest_sequence FROM audit_chain_head),
    coalesce((SELECT max(sequence) FROM audit_events), 0)
);

CREATE FUNCTION audit_chain_keying_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_chain_keying is written once, by its migration';
END;
$$;

CREATE TRIGGER audit_chain_keying_frozen BEFORE INSERT OR UPDATE OR DELETE ON audit_chain_keying
    FOR EACH ROW EXECUTE FUNCTION audit_chain_keying_refuse();
CREATE TRIGGER audit_chain_keying_no_truncate BEFORE TRUNCATE ON audit_chain_keying
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_keying_refuse();

-- Every new row is keyed: a writer that forgets the key is refused, not stored in a form the verifier will reject.
CREATE FUNCTION audit_events_require_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.chain_version <> 2 THEN
        RAISE EXCEPTION 'new audit rows must be keyed (chain_version 2)';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_keyed BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_require_key();

-- Which key the chain is written with, as AuditKey.fingerprint (an HMAC of a fixed label, which does not reveal the
-- key): the first node to start records it, and a node started with another key is refused, so nodes that share
-- this database cannot write rows that only some of them could verify. One row, never changed.
CREATE TABLE audit_key_fingerprint (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    fingerprint  text    NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$')
);

CREATE TRIGGER audit_key_fingerprint_frozen BEFORE UPDATE OR DELETE ON audit_key_fingerprint
    FOR EACH ROW EXECUTE FUNCTION audit_chain_keying_refuse();
