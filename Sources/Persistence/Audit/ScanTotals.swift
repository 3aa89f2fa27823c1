/// How many uploaded files clamd has judged, counted from the audit trail (``Audit/ScanAudit``).
package struct ScanTotals: Sendable, Equatable {
    /// Files clamd scanned and found clean, which were then stored.
    package var clean: Int
    /// Uploads refused because clamd found malware in a file (one per refused request: it stops at the first finding).
    package var refusedMalware: Int

    /// Every file clamd gave a verdict on: the clean ones and the refused ones.
    package var scanned: Int { clean + refusedMalware }

    package init(clean: Int, refusedMalware: Int) {
        self.clean = clean
        self.refusedMalware = refusedMalware
    }
}
