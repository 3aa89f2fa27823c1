-- 0002_access: users, care teams and sessions (issue 4), the patient an audit row concerns, and the indexes the
-- audit API and per-entity listings need.
--
-- Conventions as in 0001_initial: STRICT tables, instants as INTEGER milliseconds since 1970 (UTC), ids as
-- lowercase UUID text. Never edit this file once it has landed; add 0003_... instead.

-- One row per person or service that signs in. Users are disabled, never deleted, so that audit rows and care
-- teams keep pointing at someone real.
CREATE TABLE users (
    id               TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    -- trimmed and lowercased in Swift (Unicode-aware) before it gets here; SQLite's lower() only folds ASCII,
    -- so the CHECK is a backstop that keeps "A@x" and "a@x" from ever being two accounts
    email            TEXT    NOT NULL UNIQUE CHECK (length(email) > 0 AND email = lower(email) AND email = trim(email)),
    role             TEXT    NOT NULL CHECK (role IN ('patient', 'provider', 'admin')),
    display_name     TEXT,
    -- the patient a patient user is, and the provider a provider user is: required for that role, absent
    -- otherwise, so the access policy never has to guess whose documents are "their own"
    patient_id       TEXT    CHECK (length(patient_id) > 0),
    provider_id      TEXT    CHECK (length(provider_id) > 0),
    -- a bcrypt (or better) hash in its modular crypt form; never the password
    password_hash    TEXT    NOT NULL CHECK (length(password_hash) > 0),
    disabled         INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- consecutive failed sign-ins since the last success or lockout, and until when the account is locked
    failed_attempts  INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until     INTEGER,
    created_at       INTEGER NOT NULL,
    CHECK ((role = 'patient') = (patient_id IS NOT NULL)),
    CHECK ((role = 'provider') = (provider_id IS NOT NULL))
) STRICT;

-- Which provider may see which patient's documents. A pair is its own key, so adding it twice is harmless.
-- WITHOUT ROWID: the table is nothing but its key.
CREATE TABLE care_team_members (
    provider_user_id TEXT    NOT NULL REFERENCES users (id),
    patient_id       TEXT    NOT NULL CHECK (length(patient_id) > 0),
    added_at         INTEGER NOT NULL,
    -- the actor id of whoever added the pair (an admin, or the CLI), if known
    added_by         TEXT,
    PRIMARY KEY (provider_user_id, patient_id)
) STRICT, WITHOUT ROWID;

-- "Who is on this patient's care team?" (the primary key answers the question the other way round).
CREATE INDEX care_team_members_patient ON care_team_members (patient_id, provider_user_id);

-- Browser sessions. Only the SHA-256 of the cookie value is kept, so a copy of the database cannot be used to
-- sign in; a disabled or removed user's sessions go with them.
CREATE TABLE sessions (
    token_hash       TEXT    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    user_id          TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token       TEXT    NOT NULL CHECK (length(csrf_token) > 0),
    created_at       INTEGER NOT NULL,
    -- the last request, for the idle timeout the caller enforces
    last_seen_at     INTEGER NOT NULL,
    -- the absolute end of the session, whatever its activity
    expires_at       INTEGER NOT NULL,
    CHECK (expires_at > created_at)
) STRICT, WITHOUT ROWID;

-- Ending every session of a user (disabling them), and cascading deletes.
CREATE INDEX sessions_user_id ON sessions (user_id);
-- Housekeeping: DELETE FROM sessions WHERE expires_at < ?
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- The patient whose data an audited operation concerned, filled in by the writer from the parsed key or the
-- document's entity; NULL for rows that concern no patient and for every row written before this migration.
-- It is covered by the hash chain only when not NULL (item 19 in AuditChain), so existing rows still verify.
ALTER TABLE audit_events ADD COLUMN patient_id TEXT;

-- The audit API: WHERE <filter> = ? AND sequence > ? ORDER BY sequence LIMIT ?, one index per filter so a page
-- walks index entries in sequence order and stops after the page.
CREATE INDEX audit_events_actor ON audit_events (actor_id, sequence);
CREATE INDEX audit_events_patient ON audit_events (patient_id, sequence);
CREATE INDEX audit_events_document_key ON audit_events (document_key, sequence);
CREATE INDEX audit_events_action ON audit_events (action, sequence);
-- Denied and failed rows are what an auditor looks for first, and are a small share of the trail.
CREATE INDEX audit_events_outcome ON audit_events (outcome, sequence);
-- Break-glass rows, for the admin report: rare, so a partial index stays tiny.
CREATE INDEX audit_events_break_glass ON audit_events (sequence) WHERE break_glass = 1;
-- Time windows (from/to) without any other filter.
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);

-- Listings restricted to what a caller may see: WHERE status = ? AND entity_type = ? AND entity_id IN (...)
-- ORDER BY key; also serves "the documents of this patient".
CREATE INDEX documents_status_entity ON documents (status, entity_type, entity_id, key);
