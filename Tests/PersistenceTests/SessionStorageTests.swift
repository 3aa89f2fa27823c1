import Access
import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Sessions")
struct SessionStorageTests {
    @Test("a session reads back with its user in one query, and is touched, deleted and audited", arguments: TestEngine.all)
    func lifecycle(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.insertUser(Fixtures.user("u@x.org", .patient), audit: Fixtures.audit(.userCreate))
            let session = Fixtures.session(1, userID: user.id)
            try await database.createSession(session, audit: Fixtures.audit(.authSignIn))
            let found = try #require(try await database.session(tokenHash: session.tokenHash))
            #expect(found.session == session)
            #expect(found.user == user)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(2)) == nil)

            let later = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 60_000)
            #expect(try await database.touchSession(tokenHash: session.tokenHash, at: later))
            #expect(try await database.session(tokenHash: session.tokenHash)?.session.lastSeenAt == later)
            #expect(try await database.touchSession(tokenHash: Fixtures.tokenHash(2), at: later) == false)

            #expect(try await database.deleteSession(tokenHash: session.tokenHash, audit: Fixtures.audit(.authSignOut)))
            #expect(try await database.session(tokenHash: session.tokenHash) == nil)
            #expect(try await database.deleteSession(tokenHash: session.tokenHash, audit: nil) == false)
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.userCreate, .authSignIn, .authSignOut])
        }
    }

    @Test("housekeeping removes only sessions whose absolute end has passed, without audit rows", arguments: TestEngine.all)
    func housekeeping(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.insertUser(Fixtures.user("u@x.org"), audit: Fixtures.audit(.userCreate))
            for (token, lifetime) in [(1, Int64(1000)), (2, 2000), (3, 3000)] {
                try await database.createSession(Fixtures.session(token, userID: user.id, lifetime: lifetime), audit: nil)
            }
            let removed = try await database.deleteSessions(expiredBefore: Date(millisecondsSince1970: Fixtures.baseMilliseconds + 2000))
            #expect(removed == 1)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(1)) == nil)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(2)) != nil)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(3)) != nil)
            #expect(try await database.auditEvents(after: nil, limit: 10).count == 1)
        }
    }

    @Test("a session needs an existing user and a well-formed token hash; a duplicate hash is a key conflict", arguments: TestEngine.all)
    func constraints(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.insertUser(Fixtures.user("u@x.org"), audit: Fixtures.audit(.userCreate))
            await #expect(throws: PersistenceError.constraintViolation) {
                try await database.createSession(Fixtures.session(1, userID: UUID()), audit: nil)
            }
            var malformed = Fixtures.session(1, userID: user.id)
            malformed.tokenHash = String(repeating: "A", count: 64)
            await #expect(throws: PersistenceError.constraintViolation) { try await database.createSession(malformed, audit: nil) }
            try await database.createSession(Fixtures.session(1, userID: user.id), audit: nil)
            await #expect(throws: PersistenceError.keyConflict) {
                try await database.createSession(Fixtures.session(1, userID: user.id), audit: Fixtures.audit(.authSignIn))
            }
            #expect(try await database.auditEvents(after: nil, limit: 10).count == 1)
        }
    }

    @Test("descriptions never show the token hash or the CSRF token")
    func noSecretsInDescriptions() {
        let session = Fixtures.session(0xBEEF, userID: UUID())
        var dumped = ""
        dump(session, to: &dumped)
        for text in [session.description, String(reflecting: session), dumped] {
            #expect(text.contains(session.userID.uuidString.lowercased()))
            #expect(!text.contains(session.tokenHash))
            #expect(!text.contains(session.csrfToken))
        }
    }
}
