-- 0020_appointments: the appointments medvault knows of, so that an appointment's chat images are readable by its two
-- participants only (PostgreSQL; mirrors migrations/sqlite/0020_appointments.sql).
--
-- An appointment is its id (the `{appointmentId}` of `appointments/{appointmentId}/…` keys, under the entity-id rule),
-- the patient it is with and the provider who holds it (the provider's own id, as in `providers/{providerId}/`).
-- Participants never change.
--
-- Conventions as in 0001_initial. Never edit this file once it has landed.

CREATE TABLE appointments (
    id           text    COLLATE "C" NOT NULL PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    patient_id   text    COLLATE "C" NOT NULL CHECK (patient_id ~ '^[A-Za-z0-9_-]{1,64}$'),
    provider_id  text    COLLATE "C" NOT NULL CHECK (provider_id ~ '^[A-Za-z0-9_-]{1,64}$'),
    created_at   bigint  NOT NULL,
    -- the actor id of whoever added it (an admin, the provider, or the CLI's actor)
    created_by   text    NOT NULL CHECK (length(created_by) > 0)
);

-- "Which appointments is this patient in?" and "… this provider?": read on each request of a signed-in user.
CREATE INDEX appointments_patient ON appointments (patient_id, id);
CREATE INDEX appointments_provider ON appointments (provider_id, id);
