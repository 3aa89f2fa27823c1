import Audit
import Documents
import PostgresNIO

extension PostgreSQLDatabase {
    /// One page of audit rows matching `query`, in sequence order, with where the next page starts.
    ///
    /// Keyset pagination on `sequence` as on SQLite; each equality filter has an `(column, sequence)` index
    /// (migrations/postgres/0002_access.sql, 0007_scan_audit.sql), and values are always bound parameters.
    package func auditEvents(matching query: AuditQuery) async throws(PersistenceError) -> AuditPage {
        guard !query.mentionsNUL else { return AuditPage(records: [], nextAfterSequence: nil) }
        let statement = Self.auditStatement(for: query)
        let logger = logger
        var records = try await read { connection in
            var records: [AuditRecord] = []
            for try await row in try await connection.query(statement.query, logger: logger) {
                records.append(try AuditRecord(postgresRow: row.makeRandomAccess()))
            }
            return records
        }
        let hasMore = records.trimToPage(limit: query.pageSize)
        return AuditPage(records: records, nextAfterSequence: hasMore ? records.last?.sequence : nil)
    }

    /// The statement behind ``auditEvents(matching:)``, one row more than the page.
    static func auditStatement(for query: AuditQuery) -> PostgresStatement {
        var statement = PostgresStatement("SELECT \(AuditRecord.postgresColumns) FROM audit_events WHERE true")
        func require(_ column: String, equals value: String?) {
            guard let value else { return }
            statement.append(" AND \(column) = " + statement.bind(value))
        }
        require("actor_id", equals: query.actorID)
        require("patient_id", equals: query.patientID)
        require("document_key", equals: query.documentKey)
        require("action", equals: query.action?.rawValue)
        require("outcome", equals: query.outcome?.rawValue)
        require("error_code", equals: query.errorCode)
        if let from = query.from {
            statement.append(" AND occurred_at >= " + statement.bind(from.millisecondsSince1970))
        }
        if let to = query.to {
            statement.append(" AND occurred_at < " + statement.bind(to.millisecondsSince1970))
        }
        if let breakGlass = query.breakGlass {
            // A literal rather than a parameter, so that the planner can use the partial index on break-glass rows.
            statement.append(breakGlass ? " AND break_glass" : " AND NOT break_glass")
        }
        if let afterSequence = query.afterSequence {
            statement.append(" AND sequence > " + statement.bind(afterSequence))
        }
        statement.append(" ORDER BY sequence LIMIT " + statement.bind(query.pageSize + 1))
        return statement
    }
}

extension AuditQuery {
    /// Whether any text filter holds NUL, which no stored value can.
    fileprivate var mentionsNUL: Bool {
        [actorID, patientID, documentKey, errorCode].contains { $0?.containsNUL == true }
    }
}
