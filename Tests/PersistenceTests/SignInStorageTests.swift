import Access
import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Sign-in: admission, lockout, settling, and simultaneous attempts")
struct SignInStorageTests {
    private static let email = "u@x.org"
    private static let start = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 10_000)

    private func admit(_ database: any AppDatabase, at date: Date = start) async throws -> SignInAdmission {
        try await database.admitSignIn(email: Self.email, at: date, maxAttempts: 5, lockDuration: 900)
    }

    /// Admits one attempt, expecting it to be admitted, and returns it.
    private func admitted(
        _ database: any AppDatabase,
        at date: Date = start,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> SignInAttempt {
        guard case .admitted(_, let attempt) = try await admit(database, at: date) else {
            Issue.record("not admitted", sourceLocation: sourceLocation)
            throw PersistenceError.notFound
        }
        return attempt
    }

    private func fail(_ database: any AppDatabase, _ attempt: SignInAttempt) async throws {
        try await database.recordFailedSignIn(attempt, audit: Fixtures.audit(.authSignIn), lockoutAudit: Fixtures.audit(.authLockout))
    }

    private func succeed(
        _ database: any AppDatabase,
        _ attempt: SignInAttempt,
        user: UserRecord,
        token: Int = 1,
        at date: Date = start
    ) async throws
        -> SignInCompletion
    {
        try await database.recordSuccessfulSignIn(
            attempt,
            of: user.id,
            at: date,
            session: Fixtures.session(token, userID: user.id),
            audit: Fixtures.audit(.authSignIn)
        )
    }

    private func insertUser(_ database: any AppDatabase) async throws -> UserRecord {
        try await database.insertUser(Fixtures.user(Self.email, .patient), audit: Fixtures.audit(.userCreate))
    }

    @Test("attempts are counted as they are admitted; the fifth locks the account, later ones are refused uncounted", arguments: TestEngine.all)
    func lockout(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await insertUser(database)
            #expect(try await database.admitSignIn(email: "nobody@x.org", at: Self.start, maxAttempts: 5, lockDuration: 900) == .unknownAccount)
            for number in 1...4 {
                let attempt = try await admitted(database)
                #expect(attempt == SignInAttempt(attemptNumber: number, lockedUntil: nil))
                #expect(try await database.user(id: user.id)?.failedAttempts == number, "counted before the password is checked")
                try await fail(database, attempt)
            }
            let locking = try await admitted(database)
            let lockedUntil = Date(millisecondsSince1970: Fixtures.baseMilliseconds + 910_000)
            #expect(locking == SignInAttempt(attemptNumber: 5, lockedUntil: lockedUntil))
            let stored = try #require(try await database.user(id: user.id))
            #expect(stored.lockedUntil == lockedUntil)
            #expect(stored.failedAttempts == 0)
            #expect(try await admit(database) == .locked(stored), "the lock is in place before the fifth password is checked")
            try await fail(database, locking)
            #expect(try await admit(database, at: lockedUntil.addingTimeInterval(-0.001)) == .locked(stored))
            #expect(try await database.user(id: user.id) == stored, "refused attempts neither count nor extend the lock")

            let actions = try await database.auditEvents(after: nil, limit: 20).map(\.entry.action)
            #expect(actions == [.userCreate] + Array(repeating: .authSignIn, count: 5) + [.authLockout])
            #expect(try await admitted(database, at: lockedUntil) == SignInAttempt(attemptNumber: 1, lockedUntil: nil), "the lock has ended")
            #expect(try await database.verifyAuditChain() == .intact(count: 7))
        }
    }

    @Test("a disabled account is refused before any check", arguments: TestEngine.all)
    func disabled(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await insertUser(database)
            let disabled = try await database.disableUser(email: Self.email, audit: Fixtures.audit(.userDisable))
            #expect(try await admit(database) == .disabled(disabled))
            #expect(try await database.user(id: disabled.id)?.failedAttempts == 0)
        }
    }

    @Test(
        "a success clears the count, stores the session and writes its row; the attempt that locked may lift its own lock",
        arguments: TestEngine.all
    )
    func success(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await insertUser(database)
            for _ in 1...4 {
                try await fail(database, try await admitted(database))
            }
            let fifth = try await admitted(database)
            #expect(fifth.didLock)
            #expect(try await succeed(database, fifth, user: user) == .opened)
            let stored = try #require(try await database.user(id: user.id))
            #expect(stored.failedAttempts == 0)
            #expect(stored.lockedUntil == nil)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(1))?.user == stored)
            #expect(try await database.auditEvents(after: nil, limit: 20).last?.entry.action == .authSignIn)
            #expect(try await admitted(database).attemptNumber == 1)
            await #expect(throws: PersistenceError.notFound) {
                try await database.recordSuccessfulSignIn(
                    fifth,
                    of: UUID(),
                    at: Self.start,
                    session: Fixtures.session(2, userID: user.id),
                    audit: Fixtures.audit(.authSignIn)
                )
            }
        }
    }

    @Test("a right password checked while another attempt locked the account opens nothing and leaves the lock", arguments: TestEngine.all)
    func successDoesNotLiftAnotherAttemptsLock(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await insertUser(database)
            let right = try await admitted(database)
            var wrong: [SignInAttempt] = []
            for _ in 2...5 {
                wrong.append(try await admitted(database))
            }
            #expect(wrong.last?.didLock == true)
            let rowsBefore = try await database.auditEvents(after: nil, limit: 20).count
            #expect(try await succeed(database, right, user: user) == .lockedMeanwhile)
            let stored = try #require(try await database.user(id: user.id))
            #expect(stored.lockedUntil == wrong.last?.lockedUntil)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(1)) == nil)
            #expect(try await database.auditEvents(after: nil, limit: 20).count == rowsBefore, "the caller writes the refusal")
            // Once that lock has ended, a right password opens a session again.
            let later = try #require(stored.lockedUntil)
            let next = try await admitted(database, at: later)
            #expect(try await succeed(database, next, user: user, token: 2, at: later) == .opened)
        }
    }

    @Test("a right password checked while the account was disabled opens nothing", arguments: TestEngine.all)
    func successAfterDisabling(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await insertUser(database)
            let attempt = try await admitted(database)
            try await database.disableUser(email: Self.email, audit: Fixtures.audit(.userDisable))
            #expect(try await succeed(database, attempt, user: user) == .disabledMeanwhile)
            #expect(try await database.session(tokenHash: Fixtures.tokenHash(1)) == nil)
        }
    }

    @Test("of 40 simultaneous attempts exactly five are admitted, the fifth locks, and the rest are refused", arguments: TestEngine.all)
    func simultaneousAttempts(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await insertUser(database)
            let admissions = try await withThrowingTaskGroup(of: SignInAdmission.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await admit(database) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let attempts = admissions.compactMap { admission -> SignInAttempt? in
                if case .admitted(_, let attempt) = admission { return attempt }
                return nil
            }
            #expect(attempts.map(\.attemptNumber).sorted() == [1, 2, 3, 4, 5])
            #expect(attempts.filter(\.didLock).count == 1)
            #expect(admissions.filter { if case .locked = $0 { true } else { false } }.count == 35)
            #expect(try await database.user(id: user.id)?.lockedUntil != nil)
        }
    }
}
