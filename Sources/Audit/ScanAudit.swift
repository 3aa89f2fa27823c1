/// How malware scans show in the audit trail, which is also where medvault counts them (`stats`: `scannedFiles`,
/// `refusedMalware`) rather than in a table of its own: every scanned upload already writes a row.
package enum ScanAudit {
    /// The ``AuditEntry/detail`` of a stored file's upload row when clamd scanned it and found it clean.
    package static let cleanDetail = "scan: clean"
    /// The detail of a scanned, clean image's row whose identifying metadata was removed too (``UploadAudit``); it
    /// counts as a clean scan as well, through an index of its own (migration `0017_scan_audit_stripped`).
    package static let cleanStrippedDetail = "scan: clean; metadata: removed"
    /// The ``AuditEntry/errorCode`` of an upload refused because clamd found malware in a file; the row's detail
    /// names the signature.
    package static let malwareCode = "malware_detected"
}
