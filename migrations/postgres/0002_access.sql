-- 0002_access: users, care teams and sessions, the patient an audit row concerns, and the indexes the audit API
-- and per-entity listings need (PostgreSQL; mirrors migrations/sqlite/0002_access.sql).
--
-- Conventions as in 0001_initial. Never edit this file once it has landed; add 0003_... instead.

-- One row per person or service that signs in. Users are disabled, never deleted, so that audit rows and care
-- teams keep pointing at someone real.
CREATE TABLE users (
    id               text    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    -- trimmed and lowercased in Swift (Unicode-aware) before it gets here; the CHECK is a backstop that keeps
    -- "A@x" and "a@x" from ever being two accounts
    email            text    COLLATE "C" NOT NULL UNIQUE CHECK (length(email) > 0 AND email = lower(email) AND email = btrim(email)),
    role             text    NOT NULL CHECK (role IN ('patient', 'provider', 'admin')),
    display_name     text,
    -- the patient a patient user is, and the provider a provider user is: required for that role, absent
    -- otherwise, so the access policy never has to guess whose documents are "their own"
    patient_id       text    CHECK (length(patient_id) > 0),
    provider_id      text    CHECK (length(provider_id) > 0),
    -- a bcrypt (or better) hash in its modular crypt form; never the password
    password_hash    text    NOT NULL CHECK (length(password_hash) > 0),
    disabled         boolean NOT NULL DEFAULT false,
    -- consecutive failed sign-ins since the last success or lockout, and until when the account is locked
    failed_attempts  integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until     bigint,
    created_at       bigint  NOT NULL,
    CHECK ((role = 'patient') = (patient_id IS NOT NULL)),
    CHECK ((role = 'provider') = (provider_id IS NOT NULL))
);

-- Which provider may see which patient's documents. A pair is its own key, so adding it twice is harmless.
CREATE TABLE care_team_members (
    provider_user_id text    NOT NULL REFERENCES users (id),
    patient_id       text    COLLATE "C" NOT NULL CHECK (length(patient_id) > 0),
    added_at         bigint  NOT NULL,
    -- the actor id of whoever added the pair (an admin, or the CLI), if known
    added_by         text,
    PRIMARY KEY (provider_user_id, patient_id)
);

-- "Who is on this patient's care team?" (the primary key answers the question the other way round).
CREATE INDEX care_team_members_patient ON care_team_members (patient_id, provider_user_id);

-- Browser sessions. Only the SHA-256 of the cookie value is kept, so a copy of the database cannot be used to
-- sign in; a removed user's sessions go with them.
CREATE TABLE sessions (
    token_hash       text    NOT NULL PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id          text    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token       text    NOT NULL CHECK (length(csrf_token) > 0),
    created_at       bigint  NOT NULL,
    -- the last request, for the idle timeout the caller enforces
    last_seen_at     bigint  NOT NULL,
    -- the absolute end of the session, whatever its activity
    expires_at       bigint  NOT NULL,
    CHECK (expires_at > created_at)
);

-- Ending every session of a user (disabling them), and cascading deletes.
CREATE INDEX sessions_user_id ON sessions (user_id);
-- Housekeeping: DELETE FROM sessions WHERE expires_at < $1
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- The patient whose data an audited operation concerned; NULL for rows that concern no patient. Covered by the
-- hash chain only when not NULL (item 19 in AuditChain).
ALTER TABLE audit_events ADD COLUMN patient_id text;

-- The audit API: WHERE <filter> = $1 AND sequence > $2 ORDER BY sequence LIMIT $3, one index per filter so a
-- page walks index entries in sequence order and stops after the page.
CREATE INDEX audit_events_actor ON audit_events (actor_id, sequence);
CREATE INDEX audit_events_patient ON audit_events (patient_id, sequence);
CREATE INDEX audit_events_document_key ON audit_events (document_key, sequence);
CREATE INDEX audit_events_action ON audit_events (action, sequence);
CREATE INDEX audit_events_outcome ON audit_events (outcome, sequence);
-- Break-glass rows, for the admin report: rare, so a partial index stays tiny.
CREATE INDEX audit_events_break_glass ON audit_events (sequence) WHERE break_glass;
-- Time windows (from/to) without any other filter.
CREATE INDEX audit_events_occurred_at ON audit_events (occurred_at);

-- Listings restricted to what a caller may see: WHERE status = $1 AND entity_type = $2 AND entity_id = ANY($3)
-- ORDER BY key; also serves "the documents of this patient".
CREATE INDEX documents_status_entity ON documents (status, entity_type, entity_id, key);
