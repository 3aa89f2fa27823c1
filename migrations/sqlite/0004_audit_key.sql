-- 0004_audit_key: the audit chain becomes keyed. Every row written from now on carries chain_version 2 and, in
-- `hash`, an HMAC-SHA256 under the audit key (MEDVAULT_AUDIT_KEY or <data>/audit.key, never in the database), so
-- someone who can write this file but does not hold the key cannot rewrite a row and rebuild the chain after it.
-- Rows already stored keep their unkeyed SHA-256 and chain_version 1, and verify as before (AuditChain in
-- Sources/Audit documents both encodings).

ALTER TABLE audit_events ADD COLUMN chain_version INTEGER NOT NULL DEFAULT 1 CHECK (chain_version IN (1, 2));

-- Where keying began: rows up to this sequence may be unkeyed, every later row must be keyed. Without it, an
-- attacker could recompute the whole chain the unkeyed way; the verifier refuses an unkeyed row above it. One row,
-- written here, never changed.
CREATE TABLE audit_chain_keying (
    unkeyed_through INTEGER NOT NULL CHECK (unkeyed_through >= 0)
) STRICT;

INSERT INTO audit_chain_keying (unkeyed_through)
SELECT max(
    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0),
    coalesce((SELECT max(sequence) FROM audit_events), 0)
);

CREATE TRIGGER audit_chain_keying_no_insert BEFORE INSERT ON audit_chain_keying
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_keying is written once, by its migration');
END;

CREATE TRIGGER audit_chain_keying_no_update BEFORE UPDATE ON audit_chain_keying
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_keying is written once, by its migration');
END;

CREATE TRIGGER audit_chain_keying_no_delete BEFORE DELETE ON audit_chain_keying
BEGIN
    SELECT RAISE(ABORT, 'audit_chain_keying is written once, by its migration');
END;

-- Every new row is keyed: a writer that forgets the key (or an older release's code path) is refused, not stored
-- in a form the verifier will reject.
CREATE TRIGGER audit_events_keyed BEFORE INSERT ON audit_events WHEN NEW.chain_version <> 2
BEGIN
    SELECT RAISE(ABORT, 'new audit rows must be keyed (chain_version 2)');
END;
