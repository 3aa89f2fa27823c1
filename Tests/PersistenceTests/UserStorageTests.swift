import Access
import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Users: accounts, disabling, passwords")
struct UserStorageTests {
    @Test("a user reads back equal by id and by email in any case, with a normalised email and its audit row")
    func roundTrip() async throws {
        try await TestDatabase.with { database in
            var user = Fixtures.user("  Dr.Who@Example.ORG ", .provider, entityID: "dr-7")
            user.displayName = "Dr Who"
            user.lockedUntil = Date(timeIntervalSince1970: 1_750_000_000.123_4)
            #expect(user.email == "dr.who@example.org")
            user.email = "Dr.Who@Example.ORG"
            let stored = try await database.insertUser(user, audit: Fixtures.audit(.userCreate))
            #expect(stored.email == "dr.who@example.org")
            #expect(stored.lockedUntil?.millisecondsSince1970 == 1_750_000_000_123)
            #expect(try await database.user(id: user.id) == stored)
            #expect(try await database.user(email: " DR.WHO@example.org") == stored)
            #expect(try await database.user(email: "nobody@example.org") == nil)
            #expect(try await database.user(id: UUID()) == nil)
            let raw = try database.databasePool.read { db in try Row.fetchOne(db, sql: "SELECT id, role, created_at FROM users") }
            #expect(raw?["id"] == user.id.uuidString.lowercased())
            #expect(raw?["role"] == "provider")
            #expect(raw?["created_at"] == Fixtures.baseMilliseconds)
            #expect(try await database.auditEvents(after: nil, limit: 10).map(\.entry.action) == [.userCreate])
        }
    }

    @Test("a taken email is a key conflict, in any case, and writes no audit row", arguments: TestEngine.all)
    func emailConflict(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await database.insertUser(Fixtures.user("a@example.org"), audit: Fixtures.audit(.userCreate))
            var twin = Fixtures.user("b@example.org")
            twin.email = "A@EXAMPLE.ORG"
            await #expect(throws: PersistenceError.keyConflict) { try await database.insertUser(twin, audit: Fixtures.audit(.userCreate)) }
            #expect(try await database.users().count == 1)
            #expect(try await database.auditEvents(after: nil, limit: 10).count == 1)
        }
    }

    @Test("the schema requires a patient id exactly for patients and a provider id exactly for providers", arguments: TestEngine.all)
    func roleEntityRules(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            var patientWithout = Fixtures.user("p@example.org", .patient)
            patientWithout.patientID = nil
            var providerWithout = Fixtures.user("d@example.org", .provider)
            providerWithout.providerID = nil
            var adminWithPatient = Fixtures.user("a@example.org", .admin)
            adminWithPatient.patientID = "p1"
            var patientWithProvider = Fixtures.user("q@example.org", .patient)
            patientWithProvider.providerID = "dr1"
            for user in [patientWithout, providerWithout, adminWithPatient, patientWithProvider] {
                await #expect(throws: PersistenceError.constraintViolation) { try await database.insertUser(user, audit: Fixtures.audit()) }
            }
            let (users, audit) = (try await database.users(), try await database.auditEvents(after: nil, limit: 10))
            #expect(users.isEmpty)
            #expect(audit.isEmpty)
        }
    }

    @Test("users() lists everyone by email; hasEnabledAdmin ignores disabled admins and other roles", arguments: TestEngine.all)
    func listingAndAdmins(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            #expect(try await database.hasEnabledAdmin() == false)
            for user in [Fixtures.user("zed@x.org", .provider), Fixtures.user("amy@x.org", .patient), Fixtures.user("mo@x.org")] {
                try await database.insertUser(user, audit: Fixtures.audit(.userCreate))
            }
            #expect(try await database.users().map(\.email) == ["amy@x.org", "mo@x.org", "zed@x.org"])
            #expect(try await database.hasEnabledAdmin())
            try await database.disableUser(email: "MO@x.org", audit: Fixtures.audit(.userDisable))
            #expect(try await database.hasEnabledAdmin() == false)
            #expect(try await database.users().count == 3)
        }
    }

    @Test("disabling sets the flag, ends that user's sessions only, and is audited; an unknown email is not found", arguments: TestEngine.all)
    func disable(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.insertUser(Fixtures.user("u@x.org", .patient), audit: Fixtures.audit(.userCreate))
            let other = try await database.insertUser(Fixtures.user("o@x.org", .patient), audit: Fixtures.audit(.userCreate))
            try await database.createSession(Fixtures.session(1, userID: user.id), audit: nil)
            try await database.createSession(Fixtures.session(2, userID: user.id), audit: nil)
            try await database.createSession(Fixtures.session(3, userID: other.id), audit: nil)
            let disabled = try await database.disableUser(email: "U@X.org", audit: Fixtures.audit(.userDisable))
            #expect(disabled.disabled)
            #expect(try await database.user(id: user.id)?.disabled == true)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(1)) == nil)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(2)) == nil)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(3))?.user == other)
            await #expect(throws: PersistenceError.notFound) { try await database.disableUser(email: "none@x.org", audit: Fixtures.audit()) }
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.userCreate, .userCreate, .userDisable])
        }
    }

    @Test("setting a password replaces the hash, keeps sessions, and is audited", arguments: TestEngine.all)
    func setPassword(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.insertUser(Fixtures.user("u@x.org"), audit: Fixtures.audit(.userCreate))
            try await database.createSession(Fixtures.session(1, userID: user.id), audit: nil)
            try await database.setPassword(userID: user.id, passwordHash: "$2b$12$another", audit: Fixtures.audit(.userPasswordSet))
            #expect(try await database.user(id: user.id)?.passwordHash == "$2b$12$another")
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(1)) != nil)
            #expect(try await database.auditEvents(after: nil, limit: 10).map(\.entry.action) == [.userCreate, .userPasswordSet])
            await #expect(throws: PersistenceError.notFound) {
                try await database.setPassword(userID: UUID(), passwordHash: "x", audit: Fixtures.audit(.userPasswordSet))
            }
        }
    }

    @Test("when the audit row cannot be written, the user change is not kept either")
    func failingAuditRollsBack() async throws {
        try await TestDatabase.with { database in
            let user = try await database.insertUser(Fixtures.user("u@x.org"), audit: Fixtures.audit(.userCreate))
            try await database.databasePool.write { db in
                try db.execute(sql: "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END")
            }
            await #expect(throws: PersistenceError.database) {
                try await database.insertUser(Fixtures.user("new@x.org"), audit: Fixtures.audit(.userCreate))
            }
            await #expect(throws: PersistenceError.database) { try await database.disableUser(email: "u@x.org", audit: Fixtures.audit()) }
            await #expect(throws: PersistenceError.database) {
                try await database.setPassword(userID: user.id, passwordHash: "changed", audit: Fixtures.audit())
            }
            #expect(try await database.users() == [user])
        }
    }

    @Test("description, debugDescription and dump show the id and role, never the password hash or email")
    func noSecretsInDescriptions() {
        let user = Fixtures.user("secret@x.org")
        var dumped = ""
        dump(user, to: &dumped)
        for text in [user.description, String(reflecting: user), "\(user)", dumped] {
            #expect(text.contains(user.id.uuidString.lowercased()))
            #expect(text.contains("admin"))
            #expect(!text.contains("$2b$"))
            #expect(!text.contains("secret@"))
        }
    }
}
