import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Migrations")
struct MigrationTests {
    @Test("the real migrations apply once, create the schema, and are not applied again")
    func realMigrations() async throws {
        let test = try TestDatabase()
        defer { test.remove() }
        let database = try test.open()
        #expect(
            database.migrationsAppliedAtOpen == [
                "0001_initial", "0002_access", "0003_filename_search", "0004_audit_key", "0005_upload_intents", "0006_sign_in_throttle",
                "0007_scan_audit", "0008_upload_sessions", "0009_legal_hold", "0010_url_revocation", "0011_media_categories", "0012_storage_class",
                "0013_missing_status", "0016_document_imports", "0017_scan_audit_stripped", "0018_media_jobs", "0020_appointments",
            ]
        )
        let schema = try await database.databasePool.read { db in
            try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')")
        }
        for name in [
            "documents", "audit_events", "document_totals", "documents_status_key", "documents_status_category_key",
            "documents_status_uploaded_at", "audit_events_no_update", "audit_events_no_delete", "users", "care_team_members",
            "care_team_members_patient", "sessions", "sessions_user_id", "sessions_expires_at", "audit_events_actor", "audit_events_patient",
            "audit_events_document_key", "audit_events_action", "audit_events_outcome", "audit_events_break_glass",
            "audit_events_occurred_at", "documents_status_entity", "documents_search", "audit_chain_keying", "audit_events_keyed",
            "upload_intents", "upload_intents_started_at", "sign_in_buckets", "sign_in_buckets_empty_at", "upload_sessions",
            "upload_sessions_expiry", "document_url_revocations", "document_imports", "audit_events_scanned_clean_stripped",
            "appointments", "appointments_patient", "appointments_provider", "media_jobs",
        ] {
            #expect(schema.contains(name), "missing \(name)")
        }
        let journalMode = try await database.databasePool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
        // 2 = FULL: the writer syncs the WAL on every commit, so an answered request's audit row survives power loss.
        let synchronous = try await database.databasePool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2)
        let reopened = try test.open()
        #expect(reopened.migrationsAppliedAtOpen == [])
        #expect(
            try await reopened.appliedMigrations() == [
                "0001_initial", "0002_access", "0003_filename_search", "0004_audit_key", "0005_upload_intents", "0006_sign_in_throttle",
                "0007_scan_audit", "0008_upload_sessions", "0009_legal_hold", "0010_url_revocation", "0011_media_categories", "0012_storage_class",
                "0013_missing_status", "0016_document_imports", "0017_scan_audit_stripped", "0018_media_jobs", "0020_appointments",
            ]
        )
    }

    @Test("0002 applies to a database made by 0001 alone: documents and audit rows are kept and the chain verifies")
    func upgradeFromInitial() async throws {
        let initialSQL = try String(contentsOf: TestDatabase.migrationsDirectory.appendingPathComponent("0001_initial.sql"), encoding: .utf8)
        let initialOnly = try MigrationDirectory(["0001_initial.sql": initialSQL])
        defer { initialOnly.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        let old = try test.open(migrations: initialOnly.url)
        let document = Fixtures.document(key: "patients/p1/other/kept.txt")
        try await PreviousRelease.insertDocument(document, to: old, withoutColumns: ["hold_reason", "held_at", "held_by"])
        let oldTrail = try await PreviousRelease.appendAudit(
            [Fixtures.audit(documentKey: document.key), Fixtures.audit(.documentDownload, documentKey: document.key, request: 2)],
            to: old,
            withoutColumns: ["patient_id", "chain_version"]
        )

        let upgraded = try test.open()
        #expect(upgraded.migrationsAppliedAtOpen == (try MigrationDirectory.identifiers(from: "0002")))
        #expect(try await upgraded.document(id: document.id) == document)
        #expect(try await upgraded.auditEvents(after: nil, limit: 10) == oldTrail)
        #expect(oldTrail.allSatisfy { $0.entry.patientID == nil })
        try await upgraded.appendAudit(Fixtures.audit(.documentDownload, documentKey: document.key, patientID: "p1", request: 3))
        try await upgraded.appendAudit(Fixtures.audit(.storageStats, request: 4))
        #expect(try await upgraded.verifyAuditChain() == .intact(count: 4))
        #expect(try await upgraded.auditEvents(matching: AuditQuery(patientID: "p1")).records.map(\.sequence) == [3])
    }

    @Test("files apply in numeric order; non-SQL and hidden files are ignored")
    func numericOrder() throws {
        let directory = try MigrationDirectory([
            "0010_third.sql": "CREATE TABLE third (id INTEGER); INSERT INTO log VALUES ('third');",
            "0002_second.sql": "CREATE TABLE second (id INTEGER); INSERT INTO log VALUES ('second');",
            "0001_first.sql": "CREATE TABLE log (name TEXT); INSERT INTO log VALUES ('first');",
            "README.md": "not a migration",
            ".0003_hidden.sql": "this is not SQL",
        ])
        defer { directory.remove() }
        let migrations = try Migrations(directory: directory.url)
        #expect(migrations.identifiers == ["0001_first", "0002_second", "0010_third"])
        let test = try TestDatabase()
        defer { test.remove() }
        let database = try test.open(migrations: directory.url)
        #expect(database.migrationsAppliedAtOpen == ["0001_first", "0002_second", "0010_third"])
        let log = try database.databasePool.read { db in try String.fetchAll(db, sql: "SELECT name FROM log ORDER BY rowid") }
        #expect(log == ["first", "second", "third"])
    }

    @Test(
        "malformed file names are refused",
        arguments: [
            "1_init.sql", "00001_init.sql", "0001-init.sql", "0001_Init.sql", "0001_.sql", "0001_in it.sql", "abcd_init.sql", "0001_init.SQL",
        ]
    )
    func malformedNames(name: String) throws {
        let directory = try MigrationDirectory(["0000_ok.sql": "SELECT 1;", name: "SELECT 1;"])
        defer { directory.remove() }
        #expect(throws: MigrationError.malformedFileName(name)) { try Migrations(directory: directory.url) }
    }

    @Test("two files with one number are refused")
    func duplicateNumbers() throws {
        let directory = try MigrationDirectory(["0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 1;", "0002_c.sql": "SELECT 1;"])
        defer { directory.remove() }
        #expect(throws: MigrationError.duplicateNumber(1, files: ["0001_a.sql", "0001_b.sql"])) {
            try Migrations(directory: directory.url)
        }
    }

    @Test("an empty or missing directory is refused")
    func emptyOrMissing() throws {
        let directory = try MigrationDirectory(["notes.txt": "nothing"])
        defer { directory.remove() }
        #expect(throws: MigrationError.noMigrations(path: directory.url.path)) { try Migrations(directory: directory.url) }
        let missing = directory.url.appendingPathComponent("missing")
        #expect {
            try Migrations(directory: missing)
        } throws: { error in
            if case .directoryUnreadable = error as? MigrationError { return true }
            return false
        }
    }

    @Test("a database that applied a migration the directory lacks is newer than the code and refused")
    func databaseNewerThanCode() throws {
        let newer = try MigrationDirectory(["0001_a.sql": "CREATE TABLE a (id INTEGER);", "0002_b.sql": "CREATE TABLE b (id INTEGER);"])
        defer { newer.remove() }
        let older = try MigrationDirectory(["0001_a.sql": "CREATE TABLE a (id INTEGER);"])
        defer { older.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        _ = try test.open(migrations: newer.url)
        #expect(throws: MigrationError.unknownAppliedMigrations(["0002_b"])) { try test.open(migrations: older.url) }
    }

    @Test("a pending migration numbered below an applied one is refused")
    func outOfOrder() throws {
        let first = try MigrationDirectory(["0001_a.sql": "CREATE TABLE a (id INTEGER);", "0003_c.sql": "CREATE TABLE c (id INTEGER);"])
        defer { first.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        _ = try test.open(migrations: first.url)
        try first.add("0002_b.sql", "CREATE TABLE b (id INTEGER);")
        #expect(throws: MigrationError.outOfOrder(pending: "0002_b", applied: "0003_c")) { try test.open(migrations: first.url) }
    }

    @Test("a failing migration applies nothing of itself and names itself")
    func failingMigration() throws {
        let directory = try MigrationDirectory([
            "0001_ok.sql": "CREATE TABLE ok (id INTEGER);",
            "0002_broken.sql": "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);",
        ])
        defer { directory.remove() }
        let test = try TestDatabase()
        defer { test.remove() }
        #expect {
            try test.open(migrations: directory.url)
        } throws: { error in
            guard case .migrationFailed(let identifier, _) = error as? MigrationError else { return false }
            return identifier == "0002_broken"
        }
        let pool = try DatabasePool(path: test.path)
        let tables = try pool.read { db in try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
        #expect(tables.contains("ok"))
        #expect(!tables.contains("half"))
        let applied = try pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["0001_ok"])
    }

    @Test("file name parsing")
    func parsing() {
        #expect(Migrations.parse(fileName: "0001_initial.sql")?.number == 1)
        #expect(Migrations.parse(fileName: "0042_add_users_2.sql")?.identifier == "0042_add_users_2")
        #expect(Migrations.parse(fileName: "0001_initial.sql.bak") == nil)
        #expect(Migrations.parse(fileName: "０００１_initial.sql") == nil)
    }
}

/// A temporary directory of migration files for one test.
struct MigrationDirectory {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("medvault-migrations-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, sql) in files {
            try add(name, sql)
        }
    }

    /// The real migrations that come before `identifier` (e.g. "0013"): a database as the release before it made it.
    static func before(_ identifier: String) throws -> MigrationDirectory {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: TestDatabase.migrationsDirectory.path)
        where name.hasSuffix(".sql") && name < identifier {
            files[name] = try String(contentsOf: TestDatabase.migrationsDirectory.appendingPathComponent(name), encoding: .utf8)
        }
        return try MigrationDirectory(files)
    }

    /// The identifiers of the real migrations from `identifier` on, whatever later ones are added: what opening a
    /// database made by ``before(_:)`` applies.
    static func identifiers(from identifier: String) throws -> [String] {
        try Migrations(directory: TestDatabase.migrationsDirectory).identifiers.filter { $0 >= identifier }
    }

    func add(_ name: String, _ sql: String) throws {
        try Data(sql.utf8).write(to: url.appendingPathComponent(name))
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
