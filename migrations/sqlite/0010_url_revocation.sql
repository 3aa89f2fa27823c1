-- 0010_url_revocation: when each document's pre-signed URLs were last revoked (POST /api/v2/documents/{id}/revoke).
--
-- `not_before` is the earliest signing time (X-Amz-Date) the local store's URL verifier still accepts for the
-- document: every URL signed before it stops working, and URLs issued afterwards are signed at or after it. It is a
-- whole second (milliseconds since 1970, UTC, a multiple of 1000), because X-Amz-Date has no finer resolution. On S3
-- the object also moves to a fresh key, so the row is kept there too as the record of the revocation. No row: never
-- revoked. The row goes with its document.
--
-- Plain SQL, the same text for both engines. Never edit this file once it has landed.

CREATE TABLE document_url_revocations (
    document_id  TEXT   NOT NULL PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    not_before   BIGINT NOT NULL CHECK (not_before >= 0 AND not_before % 1000 = 0)
);
