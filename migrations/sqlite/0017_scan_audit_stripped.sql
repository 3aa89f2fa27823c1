-- 0017_scan_audit_stripped: a scanned image whose identifying metadata was removed on the way in is a clean scan too.
--
-- Its upload row's detail is 'scan: clean; metadata: removed' (0007's partial index holds only 'scan: clean'), so
-- `stats` counts these rows through an index of their own, again without touching the table.
--
-- Portable SQL (the same statement runs on both engines).

CREATE INDEX audit_events_scanned_clean_stripped ON audit_events (detail) WHERE detail = 'scan: clean; metadata: removed';
