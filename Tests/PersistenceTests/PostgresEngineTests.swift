import Access
import Audit
import Crypto
import Documents
import Foundation
import Testing

@testable import Persistence

/// What only the PostgreSQL engine does: several nodes on one database, migration under a lock, reconnection.
@Suite("PostgreSQL engine", .enabled(if: PostgresTestServer.url != nil, "MEDVAULT_TEST_DATABASE_URL is not set"))
struct PostgresEngineTests {
    /// Runs `body` with a fresh, migrated database and where it is; drops it afterwards.
    private func withDatabase(_ body: (PostgreSQLDatabase, PostgresLocation) async throws -> Void) async throws {
        let location = try await PostgresTestServer.createDatabase()
        do {
            let database = try await open(location)
            do {
                try await body(database, location)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
        } catch {
            try await PostgresTestServer.dropDatabase(location)
            throw error
        }
        try await PostgresTestServer.dropDatabase(location)
    }

    /// Another node on the same database.
    private func open(_ location: PostgresLocation) async throws -> PostgreSQLDatabase {
        try await PostgresTestServer.open(location)
    }

    @Test("two nodes starting at once on an empty database migrate it once")
    func concurrentMigration() async throws {
        let location = try await PostgresTestServer.createDatabase()
        let (first, second) = try await (open(location), open(location))
        let applied = [first.migrationsAppliedAtOpen, second.migrationsAppliedAtOpen]
        let all = try Migrations(directory: PostgresTestServer.migrationsDirectory).identifiers
        #expect(applied.contains(all))
        #expect(applied.contains([]))
        #expect(try await first.appliedMigrations() == all)
        let third = try await open(location)
        #expect(third.migrationsAppliedAtOpen.isEmpty)
        for database in [first, second, third] {
            await database.close()
        }
        try await PostgresTestServer.dropDatabase(location)
    }

    @Test("appends from two nodes at once make one chain without gaps or forks")
    func twoWritersOneChain() async throws {
        try await withDatabase { node, location in
            let other = try await open(location)
            try await withThrowingTaskGroup(of: AuditRecord.self) { group in
                for index in 1...200 {
                    let writer = index.isMultiple(of: 2) ? node : other
                    group.addTask { try await writer.appendAudit(Fixtures.audit(request: index)) }
                }
                var sequences: [Int64] = []
                for try await record in group {
                    sequences.append(record.sequence)
                }
                #expect(sequences.sorted() == Array(1...200))
            }
            #expect(try await node.verifyAuditChain() == .intact(count: 200))
            #expect(try await other.verifyAuditChain() == .intact(count: 200))
            await other.close()
        }
    }

    @Test("sign-ins spread over two nodes are counted one at a time and lock the account, and a disable on one is seen by the other")
    func sharedUserState() async throws {
        try await withDatabase { node, location in
            let other = try await open(location)
            let user = try await node.insertUser(Fixtures.user("u@x.org", .patient), audit: Fixtures.audit(.userCreate))
            let admissions = try await withThrowingTaskGroup(of: SignInAdmission.self) { group in
                for attempt in 1...8 {
                    let node = attempt.isMultiple(of: 2) ? node : other
                    group.addTask {
                        try await node.admitSignIn(
                            email: "u@x.org",
                            at: Date(millisecondsSince1970: Fixtures.baseMilliseconds),
                            maxAttempts: 5,
                            lockDuration: 900
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let admitted = admissions.compactMap { admission -> SignInAttempt? in
                if case .admitted(_, let attempt) = admission { return attempt }
                return nil
            }
            #expect(admitted.map(\.attemptNumber).sorted() == [1, 2, 3, 4, 5])
            #expect(admitted.filter(\.didLock).count == 1)
            #expect(admissions.filter { if case .locked = $0 { true } else { false } }.count == 3)
            #expect(try await other.user(id: user.id)?.lockedUntil != nil)
            try await node.createSession(Fixtures.session(1, userID: user.id), audit: nil)
            #expect(try await other.session(tokenHash: Fixtures.tokenHash(1))?.user.id == user.id)
            try await node.disableUser(email: "u@x.org", audit: Fixtures.audit(.userDisable))
            #expect(try await other.user(id: user.id)?.disabled == true)
            #expect(try await other.session(tokenHash: Fixtures.tokenHash(1)) == nil)
            #expect(try await other.verifyAuditChain() == .intact(count: 2))
            await other.close()
        }
    }

    @Test("connections the server ends are replaced: the call that meets one fails as unavailable, later calls work")
    func reconnects() async throws {
        try await withDatabase { database, location in
            try await database.appendAudit(Fixtures.audit(request: 1))
            try await PostgresTestServer.terminateConnections(to: location)
            // Every pooled connection is dead now, and until the node has heard of each closing a call can still meet
            // one; how many calls that takes depends on the machine's load, so the calls go on until one works.
            var outcomes: [Bool] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while outcomes.last != true, ContinuousClock.now < deadline {
                do {
                    try await database.appendAudit(Fixtures.audit(request: 2 + outcomes.count))
                    outcomes.append(true)
                } catch {
                    #expect((error as? PersistenceError) == .unavailable)
                    outcomes.append(false)
                }
            }
            #expect(outcomes.last == true)
            #expect(try await database.verifyAuditChain() == .intact(count: Int64(1 + outcomes.filter { $0 }.count)))
        }
    }

    @Test("a server that cannot be reached answers unavailable within the lease timeout")
    func unreachable() async throws {
        var location = try await PostgresTestServer.createDatabase()
        try await PostgresTestServer.dropDatabase(location)
        location.port = 1
        let started = ContinuousClock.now
        await #expect(throws: PersistenceError.unavailable) { try await open(location) }
        #expect(ContinuousClock.now - started < PostgreSQLDatabase.leaseTimeout + .seconds(3))
    }

    @Test("the chain head is the highest sequence issued: deleted last rows and an edited head are reported")
    func tamperedTail() async throws {
        try await withDatabase { database, location in
            for index in 1...12 {
                try await database.appendAudit(Fixtures.audit(request: index))
            }
            let disableGuards = """
                ALTER TABLE audit_events DISABLE TRIGGER USER;
                ALTER TABLE audit_chain_head DISABLE TRIGGER USER;
                """
            try await PostgresTestServer.execute(disableGuards + "DELETE FROM audit_events WHERE sequence >= 11", on: location)
            #expect(try await database.verifyAuditChain() == .broken(sequence: 11, reason: .missingTail(highestIssued: 12)))
            #expect(try await database.appendAudit(Fixtures.audit(request: 99)).sequence == 13)
            #expect(try await database.verifyAuditChain() == .broken(sequence: 11, reason: .missingRows(resumesAt: 13)))
            try await PostgresTestServer.execute(disableGuards + "UPDATE audit_chain_head SET highest_sequence = 2", on: location)
            #expect(try await database.verifyAuditChain() == .broken(sequence: 11, reason: .missingRows(resumesAt: 13)))
        }
    }

    @Test("the append-only guards refuse UPDATE, DELETE and TRUNCATE of the trail and moving the head back")
    func appendOnly() async throws {
        try await withDatabase { database, location in
            for index in 1...3 {
                try await database.appendAudit(Fixtures.audit(request: index))
            }
            for sql in [
                "UPDATE audit_events SET detail = 'x' WHERE sequence = 2", "DELETE FROM audit_events WHERE sequence = 3",
                "TRUNCATE audit_events", "UPDATE audit_chain_head SET highest_sequence = 1", "DELETE FROM audit_chain_head",
            ] {
                await #expect(throws: (any Error).self) { try await PostgresTestServer.execute(sql, on: location) }
            }
            #expect(try await database.verifyAuditChain() == .intact(count: 3))
        }
    }

    @Test("keys list in bytewise order whatever the database's collation, so pages agree with SQLite's")
    func bytewiseKeyOrder() async throws {
        try await withDatabase { database, _ in
            let keys = ["patients/p1/other/B.pdf", "patients/p1/other/a.pdf", "patients/p1/other/É.pdf", "patients/p1/other/_.pdf"]
            try await database.insertDocuments(keys.map { Fixtures.document(key: $0) }, audit: [])
            let page = try await database.listDocuments(DocumentQuery(limit: 10))
            #expect(page.documents.map(\.key) == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            let nul = try await database.listDocuments(DocumentQuery(search: "a\u{0}b"))
            #expect(nul.documents.isEmpty)
            #expect(try await database.document(key: "a\u{0}") == nil)
            #expect(try await database.user(email: "a\u{0}@x.org") == nil)
        }
    }

    @Test("a node with another audit key is refused at start-up; the chain stays verifiable with the first key")
    func auditKeyMismatch() async throws {
        try await withDatabase { database, location in
            try await database.appendAudit(Fixtures.audit(request: 1))
            let otherKey = AuditKey(SymmetricKey(data: [UInt8](repeating: 0x11, count: 32)))
            await #expect(throws: PersistenceError.auditKeyMismatch) {
                try await PostgreSQLDatabase.open(
                    location,
                    migrationsDirectory: PostgresTestServer.migrationsDirectory,
                    auditKey: otherKey,
                    logger: PostgresTestServer.quietLogger
                )
            }
            let again = try await open(location)
            #expect(try await again.verifyAuditChain() == .intact(count: 1))
            await again.close()
        }
    }

    @Test("sign-in buckets are shared: concurrent takes on two nodes spend each token once, a fresh bucket's too")
    func sharedThrottle() async throws {
        try await withDatabase { node, location in
            let other = try await open(location)
            let bucket = TokenBucket(size: 3, refillInterval: 60)
            let now = Date(millisecondsSince1970: Fixtures.baseMilliseconds)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for attempt in 1...10 {
                    let database = attempt.isMultiple(of: 2) ? node : other
                    group.addTask { try await database.takeTokens([(key: "address:a", bucket: bucket)], at: now) == nil }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 3)
            await other.close()
        }
    }

    @Test("a change whose audit row the database refuses is rolled back with it: user, document, session, care team")
    func auditInTheSameTransaction() async throws {
        try await withDatabase { database, location in
            let provider = try await database.insertUser(Fixtures.user("dr@x.org", .provider), audit: Fixtures.audit(.userCreate))
            try await PostgresTestServer.execute(
                """
                CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'disk full'; END;
                $$;
                CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit();
                """,
                on: location
            )
            await #expect(throws: PersistenceError.database) {
                try await database.insertUser(Fixtures.user("new@x.org"), audit: Fixtures.audit(.userCreate))
            }
            await #expect(throws: PersistenceError.database) {
                try await database.insertDocuments([Fixtures.document(key: "patients/p1/other/a.txt")], audit: [Fixtures.audit()])
            }
            await #expect(throws: PersistenceError.database) {
                try await database.createSession(Fixtures.session(1, userID: provider.id), audit: Fixtures.audit(.authSignIn))
            }
            await #expect(throws: PersistenceError.database) {
                try await database.addCareTeamMember(providerUserID: provider.id, patientID: "p1", at: Date(), addedBy: nil, audit: Fixtures.audit())
            }
            #expect(try await database.users() == [provider])
            #expect(try await database.listDocuments(DocumentQuery()).documents.isEmpty)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(1)) == nil)
            #expect(try await database.careTeam(providerUserID: provider.id).isEmpty)
            #expect(try await database.verifyAuditChain() == .intact(count: 1))
        }
    }
}
