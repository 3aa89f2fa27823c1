-- 0007_scan_audit: the audit trail answers for malware scans (PostgreSQL; mirrors migrations/sqlite/0007_scan_audit.sql).
--
-- Scans are counted from the rows the uploads already write: a stored file's upload row carries the detail
-- 'scan: clean' when clamd scanned it, and an upload refused because clamd found malware carries the error code
-- 'malware_detected'. These indexes keep both counts of `stats` (scannedFiles, refusedMalware) and the audit API's
-- `code` filter from reading the whole trail.

-- The audit API's `code` filter walks this in sequence order, like the other filters.
CREATE INDEX audit_events_error_code ON audit_events (error_code, sequence);

-- The count of clean scans reads only the entries of the rows that carry one (only upload rows do).
CREATE INDEX audit_events_scanned_clean ON audit_events (detail) WHERE detail = 'scan: clean';
