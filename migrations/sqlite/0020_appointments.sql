-- 0020_appointments: the appointments medvault knows of, so that an appointment's chat images are readable by its two
-- participants only (`medvault appointment add`, `POST /api/v2/appointments`).
--
-- An appointment is its id (the `{appointmentId}` of `appointments/{appointmentId}/…` keys, under the entity-id rule:
-- 1 to 64 characters from A-Z, a-z, 0-9, _ and -), the patient it is with and the provider who holds it (the
-- provider's own id, as in `providers/{providerId}/`). Participants never change: re-adding an id with other
-- participants is refused by the caller, and no statement here updates a row.
--
-- Conventions as in 0001_initial: STRICT tables, instants as INTEGER milliseconds since 1970 (UTC).
-- Never edit this file once it has landed.

CREATE TABLE appointments (
    id           TEXT    NOT NULL PRIMARY KEY
                         CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^A-Za-z0-9_-]*'),
    patient_id   TEXT    NOT NULL CHECK (length(patient_id) BETWEEN 1 AND 64 AND patient_id NOT GLOB '*[^A-Za-z0-9_-]*'),
    provider_id  TEXT    NOT NULL CHECK (length(provider_id) BETWEEN 1 AND 64 AND provider_id NOT GLOB '*[^A-Za-z0-9_-]*'),
    created_at   INTEGER NOT NULL,
    -- the actor id of whoever added it (an admin, the provider, or the CLI's actor)
    created_by   TEXT    NOT NULL CHECK (length(created_by) > 0)
) STRICT, WITHOUT ROWID;

-- "Which appointments is this patient in?" and "… this provider?": read on each request of a signed-in user, so that
-- access to chat images follows the appointments table at once.
CREATE INDEX appointments_patient ON appointments (patient_id, id);
CREATE INDEX appointments_provider ON appointments (provider_id, id);
