-- 0007_scan_audit: the audit trail answers for malware scans.
--
-- medvault counts scans from the rows the uploads already write rather than in a table of its own: a stored file's
-- upload row carries the detail 'scan: clean' when clamd scanned it, and an upload refused because clamd found
-- malware carries the error code 'malware_detected' (its detail names the signature). These indexes keep both counts
-- of `stats` (scannedFiles, refusedMalware) and the audit API's `code` filter from reading the whole trail.
--
-- Portable SQL (the same statements run on PostgreSQL, which has partial indexes too).

-- The audit API's `code` filter walks this in sequence order, like the other filters; the count of refused malware
-- reads only the matching entries.
CREATE INDEX audit_events_error_code ON audit_events (error_code, sequence);

-- The count of clean scans reads only the entries of the rows that carry one (only upload rows do); the index holds
-- the detail itself, so the count never touches the table.
CREATE INDEX audit_events_scanned_clean ON audit_events (detail) WHERE detail = 'scan: clean';
