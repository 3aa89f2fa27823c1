-- 0018_media_jobs: the background work medvault does on a stored video (its poster frame, its phone transcode).
--
-- One row per document and kind, enqueued once (a second enqueue is ignored). A worker claims a pending row whose
-- not-before instant (`lease_until`) has passed, or a running row whose lease expired (its node died), by setting
-- `state = 'running'`, its `owner`, a new lease and `attempts + 1` in one statement, so two workers (on any nodes)
-- never run one job at once. A finished job is 'done'; a failed attempt returns to 'pending' with a later
-- `lease_until` (the back-off) until `attempts` reaches the limit, then stays 'failed'. The row goes with its
-- document.
--
-- Plain SQL, the same text for both engines; instants are BIGINT milliseconds since 1970-01-01T00:00:00Z (UTC).
-- Never edit this file once it has landed.

CREATE TABLE media_jobs (
    document_id  TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('poster', 'transcode')),
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL CHECK (attempts >= 0),
    owner        TEXT,
    lease_until  BIGINT,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (document_id, kind)
);

-- The claim: the oldest pending or expired job first.
CREATE INDEX media_jobs_state_created_at ON media_jobs (state, created_at);
