-- 0016_document_imports: which document each imported file became (`medvault import --manifest`).
--
-- A file is recognised by where it came from (`source`: the manifest's local path or `s3://bucket/key`, as written
-- there) and the SHA-256 of its bytes: a re-run of the same manifest skips every pair it finds here, and a file that
-- changed at the same source is imported anew (a new document beside the old one). The row goes with its document,
-- so a document deleted for good is imported again by the next run that lists its source.
--
-- Plain SQL, the same text for both engines. Never edit this file once it has landed.

CREATE TABLE document_imports (
    source       TEXT   NOT NULL CHECK (length(source) > 0),
    sha256       TEXT   NOT NULL CHECK (length(sha256) = 64),
    document_id  TEXT   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    imported_at  BIGINT NOT NULL,
    PRIMARY KEY (source, sha256)
);

-- The cascade from documents.
CREATE INDEX document_imports_document_id ON document_imports (document_id);
