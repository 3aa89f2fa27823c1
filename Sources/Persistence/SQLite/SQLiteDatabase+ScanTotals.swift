import Audit
import GRDB

extension SQLiteDatabase {
    /// The scan counts of `stats`, from the audit trail: rows marked clean by clamd (only upload rows are), and
    /// uploads refused as malware. Each count reads only its own index (migrations/sqlite/0007_scan_audit.sql and 0017_scan_audit_stripped.sql), however long the trail is.
    package func scanTotals() async throws(PersistenceError) -> ScanTotals {
        try await read { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: Self.scanTotalsSQL))
            return ScanTotals(clean: row?["clean"] ?? 0, refusedMalware: row?["refused"] ?? 0)
        }
    }

    /// Literals rather than parameters, so that SQLite sees that the partial index's condition holds.
    static let scanTotalsSQL = """
        SELECT
            (SELECT COUNT(*) FROM audit_events WHERE detail = '\(ScanAudit.cleanDetail)')
                + (SELECT COUNT(*) FROM audit_events WHERE detail = '\(ScanAudit.cleanStrippedDetail)') AS clean,
            (SELECT COUNT(*) FROM audit_events WHERE error_code = '\(ScanAudit.malwareCode)') AS refused
        """
}
