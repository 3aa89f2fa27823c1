import Audit
import GRDB

extension SQLiteDatabase {
    /// One page of audit rows matching `query`, in sequence order, with where the next page starts.
    ///
    /// Keyset pagination on `sequence` (`sequence > afterSequence ORDER BY sequence LIMIT limit + 1`, the extra
    /// row only telling whether another page exists). Each equality filter has an `(column, sequence)` index
    /// (migrations/0002_access.sql, 0007_scan_audit.sql), so a filtered page walks that index in order and stops
    /// after the page instead of scanning the trail; values are always bound parameters.
    package func auditEvents(matching query: AuditQuery) async throws(PersistenceError) -> AuditPage {
        var records = try await read { db in
            try Self.auditRequest(for: query).fetchAll(db).map(\.record)
        }
        let hasMore = records.trimToPage(limit: query.pageSize)
        return AuditPage(records: records, nextAfterSequence: hasMore ? records.last?.sequence : nil)
    }

    /// The request behind ``auditEvents(matching:)``, one row more than the page; internal so tests can check
    /// its query plan.
    static func auditRequest(for query: AuditQuery) -> QueryInterfaceRequest<AuditEventRow> {
        var request = AuditEventRow.all()
        func require(_ column: String, equals value: (some DatabaseValueConvertible)?) {
            guard let value else { return }
            request = request.filter(Column(column) == value)
        }
        require("actor_id", equals: query.actorID)
        require("patient_id", equals: query.patientID)
        require("document_key", equals: query.documentKey)
        require("action", equals: query.action?.rawValue)
        require("outcome", equals: query.outcome?.rawValue)
        require("error_code", equals: query.errorCode)
        if let from = query.from {
            request = request.filter(Column("occurred_at") >= from.millisecondsSince1970)
        }
        if let to = query.to {
            request = request.filter(Column("occurred_at") < to.millisecondsSince1970)
        }
        if let breakGlass = query.breakGlass {
            // A literal rather than a parameter, so that SQLite can use the partial index on break-glass rows.
            request = request.filter(sql: breakGlass ? "break_glass = 1" : "break_glass = 0")
        }
        if let afterSequence = query.afterSequence {
            request = request.filter(Column("sequence") > afterSequence)
        }
        return request.order(Column("sequence")).limit(query.pageSize + 1)
    }
}
