/// How malware scans show in the audit trail, which is also where medvault counts them (`stats`: `scannedFiles`,
/// `refusedMalware`) rather than in a table of its own: every scanned upload already writes a row.
package enum ScanAudit {
    /// The ``AuditEntry/detail`` of a stored file's upload row when clamd scanned it and found it clean.
    package static let cleanDetail = "scan: clean"
    /// The ``AuditEntry/errorCode`` of an upload refused because clamd found malware in a file; the row's detail
    /// names the signature.
    package static let malwareCode = "malware_detected"
}
