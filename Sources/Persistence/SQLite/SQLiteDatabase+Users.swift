import Access
import Audit
import Documents
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Creates a user and writes its audit row, in one transaction; returns the row as stored.
    ///
    /// The email is normalised here (``UserRecord/normalizedEmail(_:)``) whatever the record holds, so no caller
    /// can create a second account for the same address. Throws ``PersistenceError/keyConflict`` if the email
    /// or id is taken, ``PersistenceError/constraintViolation`` if the row breaks the schema (a patient without
    /// a patient id, a provider without a provider id, another role with one).
    @discardableResult
    package func insertUser(_ user: UserRecord, audit: AuditEntry) async throws(PersistenceError) -> UserRecord {
        try await write { db in
            var user = user
            user.email = UserRecord.normalizedEmail(user.email)
            let stored = try user.insertAndFetch(db)
            _ = try appendAudit(audit, in: db)
            return stored
        }
    }

    /// The user signing in with this email, compared case-insensitively (the input is normalised), or nil.
    package func user(email: String) async throws(PersistenceError) -> UserRecord? {
        try await read { db in try Self.fetchUser(email: email, in: db) }
    }

    /// The user with this id (a session's or a token's `sub`), or nil.
    package func user(id: UUID) async throws(PersistenceError) -> UserRecord? {
        try await read { db in try Self.fetchUser(id: id, in: db) }
    }

    /// Every user, disabled ones included, ordered by email, for `medvault user list` and the admin pages.
    package func users() async throws(PersistenceError) -> [UserRecord] {
        try await read { db in try UserRecord.order(UserRecord.Columns.email).fetchAll(db) }
    }

    /// Whether at least one admin can sign in; when none can, start-up creates one (a fresh install).
    package func hasEnabledAdmin() async throws(PersistenceError) -> Bool {
        try await read { db in
            let admins = UserRecord.filter(UserRecord.Columns.role == Role.admin.rawValue && UserRecord.Columns.disabled == false)
            return try !admins.isEmpty(db)
        }
    }

    /// Disables the user with this email and ends all their sessions, with the audit row, in one transaction;
    /// returns the updated row. Throws ``PersistenceError/notFound`` if there is no such user.
    ///
    /// Sessions go in the same transaction, so once this returns no session of theirs is accepted any more.
    @discardableResult
    package func disableUser(email: String, audit: AuditEntry) async throws(PersistenceError) -> UserRecord {
        try await write { db in
            guard var user = try Self.fetchUser(email: email, in: db) else { throw PersistenceError.notFound }
            user.disabled = true
            try user.update(db)
            try SessionRecord.filter(SessionRecord.Columns.userID == user.id.lowercaseText).deleteAll(db)
            _ = try appendAudit(audit, in: db)
            return user
        }
    }

    /// Replaces a user's password hash and writes `audit`, in one transaction. Sessions are kept (the caller
    /// may be the user, in one of them). Throws ``PersistenceError/notFound`` if there is no such user.
    package func setPassword(userID: UUID, passwordHash: String, audit: AuditEntry) async throws(PersistenceError) {
        try await write { db in
            _ = try Self.updateUser(id: userID, in: db) { $0.passwordHash = passwordHash }
            _ = try appendAudit(audit, in: db)
        }
    }

    /// The user with this id. Every authenticated request looks its user up afresh (so disabling takes effect at
    /// once), so the statement is prepared once per connection and cached rather than compiled per call.
    static func fetchUser(id: UUID, in db: Database) throws -> UserRecord? {
        try UserRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id.lowercaseText])
    }

    /// The user with this (normalised) email; cached like ``fetchUser(id:in:)``, as tokens may name users by email.
    static func fetchUser(email: String, in db: Database) throws -> UserRecord? {
        try UserRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM users WHERE email = ?"),
            arguments: [UserRecord.normalizedEmail(email)]
        )
    }

    /// Applies `change` to the stored user and saves it; throws ``PersistenceError/notFound`` if there is none.
    private static func updateUser(id: UUID, in db: Database, _ change: (inout UserRecord) -> Void) throws -> UserRecord {
        guard var user = try fetchUser(id: id, in: db) else { throw PersistenceError.notFound }
        change(&user)
        try user.update(db)
        return user
    }
}
