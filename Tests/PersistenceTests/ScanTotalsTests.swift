import Audit
import GRDB
import Testing

@testable import Persistence

@Suite("Scan counts of stats, from the audit trail")
struct ScanTotalsTests {
    @Test("clean scans are rows marked clean, refusals are malware_detected rows; nothing else counts", arguments: TestEngine.all)
    func counts(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            #expect(try await database.scanTotals() == ScanTotals(clean: 0, refusedMalware: 0))
            for request in 1...30 {
                var entry = Fixtures.audit(.documentUpload, request: request)
                switch request % 5 {
                case 0: entry.detail = request % 10 == 0 ? ScanAudit.cleanStrippedDetail : ScanAudit.cleanDetail
                case 1: (entry.outcome, entry.httpStatus, entry.errorCode) = (.rejected, 422, ScanAudit.malwareCode)
                case 2: (entry.outcome, entry.httpStatus, entry.errorCode) = (.failed, 503, "scanner_unavailable")
                default: entry.detail = "scan: clean, or so it says"
                }
                try await database.appendAudit(entry)
            }
            // Requests 5, 10, …, 30 are marked clean (10, 20, 30 with their metadata removed too); 1, 6, …, 26 are refusals.
            let totals = try await database.scanTotals()
            #expect(totals == ScanTotals(clean: 6, refusedMalware: 6))
            #expect(totals.scanned == 12)
        }
    }

    @Test("each count reads its own index, not the trail")
    func queryPlan() async throws {
        try await TestDatabase.with { database in
            let plan = try await database.databasePool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteDatabase.scanTotalsSQL).map { row -> String in row["detail"] }
            }
            #expect(plan.contains { $0.contains("audit_events_scanned_clean ") }, "\(plan)")
            #expect(plan.contains { $0.contains("audit_events_scanned_clean_stripped") }, "\(plan)")
            #expect(plan.contains { $0.contains("audit_events_error_code") }, "\(plan)")
            #expect(plan.filter { $0.contains("audit_events") }.allSatisfy { $0.contains("USING COVERING INDEX") }, "\(plan)")
        }
    }
}
