-- 0009_legal_hold: a document under legal hold cannot be archived, deleted, erased, expired or transitioned
-- (PostgreSQL; the same columns and rules as migrations/sqlite/0009_legal_hold.sql, which explains them).
-- Instants are bigint milliseconds since 1970-01-01T00:00:00Z (UTC).

ALTER TABLE documents ADD COLUMN hold_reason text CHECK (length(hold_reason) BETWEEN 1 AND 500);
ALTER TABLE documents ADD COLUMN held_at bigint;
ALTER TABLE documents ADD COLUMN held_by text;
ALTER TABLE documents ADD CONSTRAINT documents_hold_complete
    CHECK ((hold_reason IS NULL) = (held_at IS NULL) AND (held_by IS NULL OR hold_reason IS NOT NULL));
