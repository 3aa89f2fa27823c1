-- 0009_legal_hold: a document under legal hold cannot be archived, deleted, erased, expired or transitioned.
--
-- The hold lives on the document's row, so listing and the details read it with the document and every change
-- that must refuse a held document checks it in the same transaction as the change. Placing and releasing a hold
-- are audited (document.hold, document.hold_release); the row keeps only the current hold.
--
-- Conventions as in 0001_initial: instants as INTEGER milliseconds since 1970 (UTC), user ids as lowercase UUID text.
-- Never edit this file once it has landed; add the next number instead.

-- why the document is held (a case or matter reference, as the administrator gave it)
ALTER TABLE documents ADD COLUMN hold_reason TEXT CHECK (length(hold_reason) BETWEEN 1 AND 500);
-- when the hold was placed: present exactly when there is a reason
ALTER TABLE documents ADD COLUMN held_at INTEGER CHECK ((hold_reason IS NULL) = (held_at IS NULL));
-- the administrator who placed it, if known; never without a hold
ALTER TABLE documents ADD COLUMN held_by TEXT CHECK (held_by IS NULL OR hold_reason IS NOT NULL);
