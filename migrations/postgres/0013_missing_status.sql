-- 0013_missing_status: a document row may be `missing`, the status `medvault reconcile --fix` gives a row whose object
-- is gone from the store (mirrors migrations/sqlite/0013_missing_status.sql). A missing row is listed to
-- administrators with its status, never served or pre-signed, and hidden from everyone else's listings.
--
-- A missing row keeps what it was before: an active one has neither `original_key` nor `archived_at`, an archived one
-- both. PostgreSQL named the checks of 0001 after their columns: `documents_status_check` for the status values and
-- `documents_check` for the table check that ties the status to `original_key` and `archived_at`.
--
-- Never edit this file once it has landed.

ALTER TABLE documents DROP CONSTRAINT documents_status_check;
ALTER TABLE documents ADD CONSTRAINT documents_status_check CHECK (status IN ('active', 'archived', 'missing'));
ALTER TABLE documents DROP CONSTRAINT documents_check;
ALTER TABLE documents ADD CONSTRAINT documents_check CHECK (
    (status = 'active' AND original_key IS NULL AND archived_at IS NULL)
    OR (status = 'archived' AND original_key IS NOT NULL AND archived_at IS NOT NULL)
    OR (status = 'missing' AND (original_key IS NULL) = (archived_at IS NULL)));
