import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Audit trail: filtered queries and cursor paging")
struct AuditQueryTests {
    private static let actions: [AuditAction] = [.documentDownload, .documentUpload, .authSignIn, .careTeamAdd]

    /// 90 rows, with fields cycling at different periods so filters overlap in every way.
    private func fill(_ database: any AppDatabase) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for index in 1...90 {
            var entry = Fixtures.audit(Self.actions[index % 4], documentKey: "k/\(index % 5)", request: index * 1000)
            entry.actorID = "user-\(index % 3)"
            entry.patientID = index % 4 == 0 ? nil : "p\(index % 2)"
            entry.outcome = AuditOutcome.allCases[index % AuditOutcome.allCases.count]
            entry.breakGlass = index % 7 == 0
            entry.errorCode = index % 6 == 0 ? "malware_detected" : index % 6 == 1 ? "forbidden" : nil
            records.append(try await database.appendAudit(entry))
        }
        return records
    }

    /// Pages through `query` with pages of `limit` and returns every record, checking page sizes and the cursor.
    private func allPages(_ database: any AppDatabase, _ query: AuditQuery, limit: Int = 7) async throws -> [AuditRecord] {
        var query = query
        query.limit = limit
        var records: [AuditRecord] = []
        for _ in 0..<100 {
            let page = try await database.auditEvents(matching: query)
            #expect(page.records.count <= limit)
            records += page.records
            guard let next = page.nextAfterSequence else { return records }
            #expect(page.records.count == limit)
            #expect(next == page.records.last?.sequence)
            query.afterSequence = next
        }
        Issue.record("paging did not end")
        return records
    }

    @Test("each filter narrows to exactly the matching rows, and paging returns each of them once, in order", arguments: TestEngine.all)
    func filtersAndPaging(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let trail = try await fill(database)
            let from = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 20_000)
            let to = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 50_000)
            let cases: [(AuditQuery, (AuditEntry) -> Bool)] = [
                (AuditQuery(), { _ in true }),
                (AuditQuery(actorID: "user-1"), { $0.actorID == "user-1" }),
                (AuditQuery(patientID: "p1"), { $0.patientID == "p1" }),
                (AuditQuery(documentKey: "k/3"), { $0.documentKey == "k/3" }),
                (AuditQuery(action: .authSignIn), { $0.action == .authSignIn }),
                (AuditQuery(outcome: .denied), { $0.outcome == .denied }),
                (AuditQuery(errorCode: "malware_detected"), { $0.errorCode == "malware_detected" }),
                (AuditQuery(breakGlass: true), { $0.breakGlass }),
                (AuditQuery(breakGlass: false), { !$0.breakGlass }),
                (AuditQuery(from: from, to: to), { $0.occurredAt >= from && $0.occurredAt < to }),
                (AuditQuery(from: from), { $0.occurredAt >= from }),
                (AuditQuery(to: to), { $0.occurredAt < to }),
                (
                    AuditQuery(actorID: "user-2", patientID: "p0", action: .documentDownload, from: from),
                    { $0.actorID == "user-2" && $0.patientID == "p0" && $0.action == .documentDownload && $0.occurredAt >= from }
                ),
                (AuditQuery(actorID: "nobody"), { _ in false }),
            ]
            for (query, matches) in cases {
                let expected = trail.filter { matches($0.entry) }
                #expect(try await allPages(database, query) == expected, "\(query)")
                #expect(try await allPages(database, query, limit: 1000) == expected, "\(query)")
            }
            #expect(trail.filter { $0.entry.breakGlass }.count == 12)
        }
    }

    @Test("from is inclusive and to exclusive, to the millisecond", arguments: TestEngine.all)
    func timeBounds(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let trail = try await fill(database)
            let exact = trail[9].entry.occurredAt
            let page = try await database.auditEvents(matching: AuditQuery(from: exact, to: exact.addingTimeInterval(0.001)))
            #expect(page.records == [trail[9]])
            #expect(try await database.auditEvents(matching: AuditQuery(from: exact, to: exact)).records.isEmpty)
        }
    }

    @Test("limits are clamped to 1...1000", arguments: TestEngine.all)
    func limits(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let trail = try await fill(database)
            let one = try await database.auditEvents(matching: AuditQuery(limit: 0))
            #expect(one.records == [trail[0]])
            #expect(one.nextAfterSequence == 1)
            #expect(AuditQuery(limit: 5000).pageSize == AuditQuery.maximumLimit)
        }
    }

    @Test("every filtered page is served by an index; only a bare time window needs a sort")
    func queryPlans() async throws {
        try await TestDatabase.with { database in
            _ = try await fill(database)
            let instant = Date(millisecondsSince1970: Fixtures.baseMilliseconds)
            // occurred_at is not strictly in sequence order (concurrent requests), so a time window alone is found
            // through its index and then sorted: the sort is bounded by the window, not the trail.
            let timeWindow = AuditQuery(from: instant, to: instant.addingTimeInterval(60))
            let queries = [
                timeWindow,
                AuditQuery(actorID: "user-1", afterSequence: 10),
                AuditQuery(patientID: "p1", afterSequence: 10),
                AuditQuery(documentKey: "k/1", afterSequence: 10),
                AuditQuery(action: .authSignIn, afterSequence: 10),
                AuditQuery(outcome: .denied, afterSequence: 10),
                AuditQuery(errorCode: "malware_detected", afterSequence: 10),
                AuditQuery(breakGlass: true, afterSequence: 10),
                AuditQuery(actorID: "user-1", from: instant, to: instant.addingTimeInterval(60)),
                AuditQuery(afterSequence: 10),
            ]
            let plans = try await database.databasePool.read { db in
                try queries.map { query in
                    let statement = try SQLiteDatabase.auditRequest(for: query).makePreparedRequest(db).statement
                    let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                    return (query, statement.sql, rows.map { row -> String in row["detail"] }.joined(separator: " / "))
                }
            }
            for (query, sql, plan) in plans {
                #expect(
                    plan.contains("USING INDEX") || plan.contains("USING COVERING INDEX") || plan.contains("INTEGER PRIMARY KEY"),
                    "\(sql): \(plan)"
                )
                #expect(!plan.contains("SCAN audit_events"), "\(sql): \(plan)")
                #expect(query == timeWindow || !plan.contains("TEMP B-TREE"), "\(sql): \(plan)")
            }
        }
    }

    @Test("patient ids are stored, covered by the chain, and protected by the append-only triggers")
    func patientIDsInTheChain() async throws {
        try await TestDatabase.with { database in
            let trail = try await fill(database)
            #expect(try await database.auditEvents(after: nil, limit: 1000) == trail)
            #expect(try await database.verifyAuditChain() == .intact(count: 90))
            let stored = try await database.databasePool.read { db in
                try String.fetchOne(db, sql: "SELECT patient_id FROM audit_events WHERE sequence = 3")
            }
            #expect(stored == "p1")
            for sql in ["UPDATE audit_events SET patient_id = 'p9' WHERE sequence = 3", "DELETE FROM audit_events WHERE sequence = 3"] {
                await #expect {
                    try await database.databasePool.write { db in try db.execute(sql: sql) }
                } throws: { error in
                    (error as? DatabaseError)?.message == "audit_events is append-only"
                }
            }
            for (sequence, value) in [(3, "'p9'"), (5, "NULL"), (4, "'p0'")] {
                try await database.databasePool.write { db in
                    try db.execute(sql: "DROP TRIGGER IF EXISTS audit_events_no_update")
                    let original = try String.fetchOne(
                        db,
                        sql: "SELECT quote(patient_id) FROM audit_events WHERE sequence = ?",
                        arguments: [sequence]
                    )
                    try db.execute(sql: "UPDATE audit_events SET patient_id = \(value) WHERE sequence = ?", arguments: [sequence])
                    #expect(original != value)
                }
                #expect(try await database.verifyAuditChain() == .broken(sequence: Int64(sequence), reason: .hashMismatch))
                try await database.databasePool.write { db in
                    try db.execute(
                        sql: "UPDATE audit_events SET patient_id = ? WHERE sequence = ?",
                        arguments: [trail[sequence - 1].entry.patientID, sequence]
                    )
                }
                #expect(try await database.verifyAuditChain() == .intact(count: 90))
            }
        }
    }
}
