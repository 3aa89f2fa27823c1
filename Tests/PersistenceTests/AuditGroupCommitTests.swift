import Audit
import Dispatch
import Foundation
import GRDB
import Synchronization
import Testing

@testable import Persistence

@Suite("Audit trail: group commit of concurrent appends")
struct AuditGroupCommitTests {
    /// Counts the transactions that committed audit rows.
    private final class CommitCounter: TransactionObserver, Sendable {
        private let count = Mutex(0)
        var commits: Int { count.withLock { $0 } }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { eventKind.tableName == "audit_events" }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { count.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    /// Holds the writer until the returned semaphore is signalled.
    private func holdWriter(_ database: SQLiteDatabase) -> DispatchSemaphore {
        let gate = DispatchSemaphore(value: 0)
        database.databasePool.asyncWriteWithoutTransaction { _ in gate.wait() }
        return gate
    }

    /// Waits until the appender has a batch in flight (held at the writer) and `count` rows queued behind it (at
    /// most about 10 s); if that does not happen, releases `gate` so the appends still end, and fails.
    private func waitForPending(_ database: SQLiteDatabase, _ count: Int, releasing gate: DispatchSemaphore) async throws {
        let appender = database.auditAppender
        for _ in 0..<10_000 where !(appender.isWriting && appender.pendingCount == count) {
            try await Task.sleep(for: .milliseconds(1))
        }
        guard appender.isWriting && appender.pendingCount == count else {
            gate.signal()
            Issue.record("expected a batch in flight and \(count) rows queued, found \(appender.pendingCount) queued")
            throw CancellationError()
        }
    }

    @Test("rows that arrive while a commit is in progress share the next transaction, and the chain stays whole")
    func batches() async throws {
        try await TestDatabase.with { database in
            let counter = CommitCounter()
            database.databasePool.add(transactionObserver: counter, extent: .databaseLifetime)
            let gate = holdWriter(database)
            try await withThrowingTaskGroup(of: AuditRecord.self) { group in
                // The first row's batch waits for the writer; the other 49 queue behind it.
                group.addTask { try await database.appendAudit(Fixtures.audit(request: 1)) }
                try await waitForPending(database, 0, releasing: gate)
                for index in 2...50 {
                    group.addTask { try await database.appendAudit(Fixtures.audit(request: index)) }
                }
                try await waitForPending(database, 49, releasing: gate)
                gate.signal()
                var sequences: [Int64] = []
                for try await record in group {
                    sequences.append(record.sequence)
                }
                #expect(sequences.sorted() == Array(1...50))
            }
            #expect(counter.commits == 2)
            #expect(try await database.verifyAuditChain() == .intact(count: 50))
            #expect(Set(try await database.auditEvents(after: nil, limit: 100).map(\.entry.requestID)).count == 50)
        }
    }

    @Test("a row the database refuses fails its own caller only; a refused batch acknowledges nobody")
    func failures() async throws {
        try await TestDatabase.with { database in
            try await database.databasePool.write { db in
                try db.execute(
                    sql: """
                        CREATE TRIGGER refuse_some BEFORE INSERT ON audit_events WHEN NEW.request_id IN ('req-7', 'req-13')
                        BEGIN SELECT RAISE(ABORT, 'refused'); END
                        """
                )
            }
            let gate = holdWriter(database)
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                func append(_ index: Int) {
                    group.addTask {
                        do {
                            _ = try await database.appendAudit(Fixtures.audit(request: index))
                            return (index, true)
                        } catch {
                            #expect((error as? Persistence.PersistenceError) == .database)
                            return (index, false)
                        }
                    }
                }
                append(1)
                try await waitForPending(database, 0, releasing: gate)
                for index in 2...20 {
                    append(index)
                }
                try await waitForPending(database, 19, releasing: gate)
                gate.signal()
                var outcomes: [Int: Bool] = [:]
                for try await (index, stored) in group {
                    outcomes[index] = stored
                }
                return outcomes
            }
            #expect(outcomes.filter { !$0.value }.keys.sorted() == [7, 13])
            #expect(try await database.verifyAuditChain() == .intact(count: 18))
            let stored = try await database.auditEvents(after: nil, limit: 100).map(\.entry.requestID)
            #expect(Set(stored) == Set((1...20).filter { $0 != 7 && $0 != 13 }.map { "req-\($0)" }))

            try await database.databasePool.write { db in
                try db.execute(sql: "CREATE TRIGGER refuse_all BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'full'); END")
            }
            let refused = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 100..<110 {
                    group.addTask { (try? await database.appendAudit(Fixtures.audit(request: index))) == nil }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(refused == 10)
            #expect(try await database.verifyAuditChain() == .intact(count: 18))
        }
    }
}
