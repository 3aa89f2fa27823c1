-- 0012_storage_class: the storage class a lifecycle transition (MEDVAULT_ARCHIVE_AFTER_DAYS) moved a document to.
--
-- On S3 the object was copied onto itself in that class; on the local store the class is only recorded. `transitioned_at`
-- is milliseconds since 1970 (UTC). No row: the document is still in the bucket's default class and the rule has not
-- acted on it yet. The row goes with its document.
--
-- Plain SQL, the same text for both engines. Never edit this file once it has landed.

CREATE TABLE document_storage_classes (
    document_id      TEXT   NOT NULL PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    storage_class    TEXT   NOT NULL CHECK (length(storage_class) BETWEEN 1 AND 64),
    transitioned_at  BIGINT NOT NULL CHECK (transitioned_at >= 0)
);
