import Audit
import PostgresNIO

extension PostgreSQLDatabase {
    /// The scan counts of `stats`, from the audit trail (see ``AuditLog/scanTotals()``).
    package func scanTotals() async throws(PersistenceError) -> ScanTotals {
        let logger = logger
        return try await read { connection in
            // Literals rather than parameters, so that the planner sees that the partial index's condition holds.
            let rows = try await connection.query(
                """
                SELECT
                    (SELECT count(*) FROM audit_events WHERE detail = '\(unescaped: ScanAudit.cleanDetail)')
                        + (SELECT count(*) FROM audit_events WHERE detail = '\(unescaped: ScanAudit.cleanStrippedDetail)'),
                    (SELECT count(*) FROM audit_events WHERE error_code = '\(unescaped: ScanAudit.malwareCode)')
                """,
                logger: logger
            )
            for try await (clean, refused) in rows.decode((Int, Int).self) {
                return ScanTotals(clean: clean, refusedMalware: refused)
            }
            return ScanTotals(clean: 0, refusedMalware: 0)
        }
    }
}
