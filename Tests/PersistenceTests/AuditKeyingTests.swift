import Audit
import Crypto
import Foundation
import GRDB
import Testing

@testable import Persistence

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Audit trail: keyed chain, upgrade and anchors")
struct AuditKeyingTests {
    /// The migrations of the release before the keyed chain (0001 to 0003), as it shipped them.
    private func previousReleaseMigrations() throws -> MigrationDirectory {
        var files: [String: String] = [:]
        for name in ["0001_initial.sql", "0002_access.sql", "0003_filename_search.sql"] {
            files[name] = try String(contentsOf: TestDatabase.migrationsDirectory.appendingPathComponent(name), encoding: .utf8)
        }
        return try MigrationDirectory(files)
    }

    /// A database with `count` keyed audit rows appended through the public API.
    private func withTrail(count: Int, _ body: (SQLiteDatabase) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            for index in 1...count {
                try await database.appendAudit(
                    Fixtures.audit(.documentDownload, documentKey: "k/\(index)", patientID: "p\(index % 2)", request: index)
                )
            }
            try await body(database)
        }
    }

    /// What an attacker who can write the file (but not read the key) does: drop the triggers, edit row `edited`,
    /// and rebuild every hash from it on with `seal`, so that each link fits the row before.
    private func rewrite(
        _ database: SQLiteDatabase,
        editing edited: Int64,
        seal: @escaping @Sendable (Int64, AuditEntry, String) -> AuditRecord
    ) async throws {
        try await database.databasePool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_events_keyed;")
            let rows = try AuditEventRow.fetchAll(db, sql: "SELECT * FROM audit_events ORDER BY sequence")
            var previousHash = AuditChain.genesisHash
            for row in rows {
                var record = row.record
                if record.sequence == edited { record.entry.actorID = "someone-else" }
                if record.sequence >= edited {
                    record = seal(record.sequence, record.entry, previousHash)
                    try db.execute(
                        sql: "UPDATE audit_events SET actor_id = ?, previous_hash = ?, hash = ?, chain_version = ? WHERE sequence = ?",
                        arguments: [record.entry.actorID, record.previousHash, record.hash, record.version.rawValue, record.sequence]
                    )
                }
                previousHash = record.hash
            }
        }
    }

    private static func unkeyedSeal(_ sequence: Int64, _ entry: AuditEntry, _ previousHash: String) -> AuditRecord {
        AuditRecord(
            sequence: sequence,
            entry: entry,
            previousHash: previousHash,
            hash: AuditChain.unkeyedHash(sequence: sequence, entry: entry, previousHash: previousHash),
            version: .unkeyed
        )
    }

    @Test("a database written by the previous release keeps verifying after the upgrade; rows written since are keyed")
    func upgradeFromPreviousRelease() async throws {
        let previous = try previousReleaseMigrations()
        defer { previous.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        let old = try test.open(migrations: previous.url)
        let entries = (1...5).map { Fixtures.audit(.documentDownload, documentKey: "k/\($0)", patientID: $0 % 2 == 0 ? "p1" : nil, request: $0) }
        let oldTrail = try await PreviousRelease.appendAudit(entries, to: old, withoutColumns: ["chain_version"])

        let upgraded = try test.open()
        #expect(upgraded.migrationsAppliedAtOpen.first == "0004_audit_key")
        #expect(try await upgraded.auditEvents(after: nil, limit: 10) == oldTrail)
        #expect(try await upgraded.verifyAuditChain() == .intact(count: 5))
        let keyingBegan = try await upgraded.databasePool.read { db in try SQLiteDatabase.unkeyedThrough(db) }
        #expect(keyingBegan == 5)

        let added = try await upgraded.appendAudit(Fixtures.audit(.storageStats, request: 6))
        #expect(added.version == .keyed)
        #expect(added.previousHash == oldTrail[4].hash)
        #expect(try await upgraded.verifyAuditChain() == .intact(count: 6))
        #expect(try await upgraded.auditEvents(after: nil, limit: 10).map(\.version) == Array(repeating: .unkeyed, count: 5) + [.keyed])
    }

    @Test("an old row edited after the upgrade is still detected")
    func oldRowEditedAfterUpgrade() async throws {
        let previous = try previousReleaseMigrations()
        defer { previous.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        let entries = (1...4).map { Fixtures.audit(request: $0) }
        _ = try await PreviousRelease.appendAudit(entries, to: try test.open(migrations: previous.url), withoutColumns: ["chain_version"])
        let upgraded = try test.open()
        try await upgraded.appendAudit(Fixtures.audit(request: 5))
        try await upgraded.databasePool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET outcome = 'denied' WHERE sequence = 3")
        }
        #expect(try await upgraded.verifyAuditChain() == .broken(sequence: 3, reason: .hashMismatch))
    }

    @Test("a row rewritten and the chain recomputed without the key is detected")
    func rewrittenWithoutKey() async throws {
        try await withTrail(count: 12) { database in
            #expect(try await database.verifyAuditChain() == .intact(count: 12))
            try await rewrite(database, editing: 6, seal: Self.unkeyedSeal)
            #expect(try await database.verifyAuditChain() == .broken(sequence: 6, reason: .unkeyedRow(keyedAfter: 0)))
        }
        try await withTrail(count: 12) { database in
            let guessed = AuditKey(SymmetricKey(data: [UInt8](repeating: 0xEE, count: 32)))
            try await rewrite(database, editing: 6) { AuditChain.seal(sequence: $0, entry: $1, previousHash: $2, key: guessed) }
            #expect(try await database.verifyAuditChain() == .broken(sequence: 6, reason: .hashMismatch))
        }
    }

    @Test("moving where keying began hides a recomputed chain from the database alone, but not from an anchor")
    func keyingBoundaryMovedButAnchored() async throws {
        try await withTrail(count: 12) { database in
            let (verification, anchor) = try await database.auditChainHead()
            #expect(verification == .intact(count: 12))
            #expect(anchor.sequence == 12)
            try await rewrite(database, editing: 1, seal: Self.unkeyedSeal)
            try await database.databasePool.write { db in
                try db.execute(sql: "DROP TRIGGER audit_chain_keying_no_update; UPDATE audit_chain_keying SET unkeyed_through = 12")
            }
            #expect(try await database.verifyAuditChain() == .intact(count: 12))
            #expect(try await database.verifyAuditChain(anchor: anchor) == .broken(sequence: 12, reason: .anchorMismatch))
        }
    }

    @Test("a database opened with another key fails verification at its first keyed row")
    func anotherKey() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let database = try test.open()
        try await database.appendAudit(Fixtures.audit(request: 1))
        let other = try test.open(auditKey: AuditKey(SymmetricKey(data: [UInt8](repeating: 1, count: 32))))
        #expect(try await other.verifyAuditChain() == .broken(sequence: 1, reason: .hashMismatch))
    }

    @Test("the head is the verified last row; the trail keeps matching its anchor as rows are added", arguments: TestEngine.all)
    func anchors(_ engine: TestEngine) async throws {
        try await withTrail(count: 5) { database in
            let (_, anchor) = try await database.auditChainHead()
            let rows = try await database.auditEvents(after: nil, limit: 10)
            #expect(anchor == AuditAnchor(sequence: 5, hash: rows[4].hash))
            try await database.appendAudit(Fixtures.audit(request: 6))
            #expect(try await database.verifyAuditChain(anchor: anchor) == .intact(count: 6))
            #expect(try await database.auditChainHead().head.sequence == 6)
        }
        try await TestDatabase.with(engine) { database in
            let (verification, head) = try await database.auditChainHead()
            #expect(verification == .intact(count: 0))
            #expect(head == AuditAnchor(sequence: 0, hash: AuditChain.genesisHash))
        }
    }

    @Test("rows cut off before the anchor, sequence counter included, are detected only with the anchor")
    func cutOffBeforeAnchor() async throws {
        try await withTrail(count: 10) { database in
            let (_, anchor) = try await database.auditChainHead()
            try await database.databasePool.write { db in
                try db.execute(sql: "DROP TRIGGER audit_events_no_delete; DELETE FROM audit_events WHERE sequence > 7")
                try db.execute(sql: "UPDATE sqlite_sequence SET seq = 7 WHERE name = 'audit_events'")
            }
            #expect(try await database.verifyAuditChain() == .intact(count: 7))
            #expect(try await database.verifyAuditChain(anchor: anchor) == .broken(sequence: 8, reason: .endsBeforeAnchor(anchor: 10)))
        }
    }

    @Test("the schema refuses unkeyed new rows and any change to where keying began")
    func schemaRules() async throws {
        try await withTrail(count: 2) { database in
            let statements = [
                "INSERT INTO audit_events (occurred_at, action, outcome, break_glass, request_id, previous_hash, hash, chain_version) "
                    + "VALUES (1, 'storage.stats', 'success', 0, 'r', '\(AuditChain.genesisHash)', '\(AuditChain.genesisHash)', 1)",
                "INSERT INTO audit_chain_keying (unkeyed_through) VALUES (100)",
                "UPDATE audit_chain_keying SET unkeyed_through = 100",
                "DELETE FROM audit_chain_keying",
            ]
            for sql in statements {
                await #expect(throws: DatabaseError.self, "\(sql)") {
                    try await database.databasePool.write { db in try db.execute(sql: sql) }
                }
            }
            let verdict = try await database.verifyAuditChain()
            #expect(verdict == .intact(count: 2))
        }
    }

    @Test("the database, its -wal and -shm are created 0600, and an existing wider database file is narrowed")
    func privateFiles() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        #expect(FileManager.default.createFile(atPath: test.path, contents: nil, attributes: [.posixPermissions: 0o644]))
        #expect(mode(test.path) == 0o644)
        let database = try test.open()
        try await database.appendAudit(Fixtures.audit())
        for path in [test.path, test.path + "-wal", test.path + "-shm"] {
            #expect(mode(path) == 0o600, "\(path)")
        }
    }

    private func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }
}
