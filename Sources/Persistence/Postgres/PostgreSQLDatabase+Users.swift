import Access
import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Creates a user and writes its audit row, in one transaction; returns the row as stored.
    @discardableResult
    package func insertUser(_ user: UserRecord, audit: AuditEntry) async throws(PersistenceError) -> UserRecord {
        let logger = logger
        return try await write { connection in
            let rows = try await connection.query(
                """
                INSERT INTO users (\(unescaped: UserRecord.postgresColumns())) VALUES (\(user.id.lowercaseText),
                    \(UserRecord.normalizedEmail(user.email)), \(user.role.rawValue), \(user.displayName), \(user.patientID),
                    \(user.providerID), \(user.passwordHash), \(user.disabled), \(user.failedAttempts),
                    \(user.lockedUntil?.millisecondsSince1970), \(user.createdAt.millisecondsSince1970))
                RETURNING \(unescaped: UserRecord.postgresColumns())
                """,
                logger: logger
            )
            guard let row = try await rows.first() else { throw PersistenceError.database.with(cause: "INSERT returned no user") }
            let stored = try UserRecord(postgresRow: row.makeRandomAccess())
            _ = try await appendAudit([audit], on: connection)
            return stored
        }
    }

    /// The user signing in with this email, compared case-insensitively (the input is normalised), or nil.
    package func user(email: String) async throws(PersistenceError) -> UserRecord? {
        let email = UserRecord.normalizedEmail(email)
        guard !email.containsNUL else { return nil }
        let logger = logger
        return try await read { connection in
            try await Self.fetchUser(
                "SELECT \(unescaped: UserRecord.postgresColumns()) FROM users WHERE email = \(email)",
                on: connection,
                logger: logger
            )
        }
    }

    /// The user with this id, or nil.
    package func user(id: UUID) async throws(PersistenceError) -> UserRecord? {
        let logger = logger
        return try await read { connection in
            try await Self.fetchUser(
                "SELECT \(unescaped: UserRecord.postgresColumns()) FROM users WHERE id = \(id.lowercaseText)",
                on: connection,
                logger: logger
            )
        }
    }

    /// Every user, disabled ones included, ordered by email (bytewise, as on SQLite).
    package func users() async throws(PersistenceError) -> [UserRecord] {
        let logger = logger
        return try await read { connection in
            var users: [UserRecord] = []
            for try await row in try await connection.query(
                "SELECT \(unescaped: UserRecord.postgresColumns()) FROM users ORDER BY email",
                logger: logger
            ) {
                users.append(try UserRecord(postgresRow: row.makeRandomAccess()))
            }
            return users
        }
    }

    /// Whether at least one admin can sign in.
    package func hasEnabledAdmin() async throws(PersistenceError) -> Bool {
        let logger = logger
        return try await read { connection in
            try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM users WHERE role = \(Role.admin.rawValue) AND NOT disabled)",
                logger: logger
            ).decodeAll(Bool.self).first ?? false
        }
    }

    /// Disables the user with this email and ends all their sessions, with the audit row, in one transaction.
    @discardableResult
    package func disableUser(email: String, audit: AuditEntry) async throws(PersistenceError) -> UserRecord {
        let email = UserRecord.normalizedEmail(email)
        guard !email.containsNUL else { throw PersistenceError.notFound }
        let logger = logger
        return try await write { connection in
            guard
                let user = try await Self.fetchUser(
                    "UPDATE users SET disabled = true WHERE email = \(email) RETURNING \(unescaped: UserRecord.postgresColumns())",
                    on: connection,
                    logger: logger
                )
            else { throw PersistenceError.notFound }
            try await connection.query("DELETE FROM sessions WHERE user_id = \(user.id.lowercaseText)", logger: logger)
            _ = try await appendAudit([audit], on: connection)
            return user
        }
    }

    /// Replaces a user's password hash, with the audit row, in one transaction.
    package func setPassword(userID: UUID, passwordHash: String, audit: AuditEntry) async throws(PersistenceError) {
        try await updateUser(userID, audit: audit) { id in
            "UPDATE users SET password_hash = \(passwordHash) WHERE id = \(id)"
        }
    }

    /// Runs the `UPDATE` that `statement` makes for the user's id text and writes `audit`, in one transaction;
    /// throws ``PersistenceError/notFound`` when no row was updated.
    private func updateUser(
        _ userID: UUID,
        audit: AuditEntry,
        _ statement: @escaping @Sendable (String) -> PostgresQuery
    ) async throws(PersistenceError) {
        let logger = logger
        try await write { connection in
            var query = statement(userID.lowercaseText)
            query.sql += " RETURNING 1"
            guard try await connection.query(query, logger: logger).first() != nil else { throw PersistenceError.notFound }
            _ = try await appendAudit([audit], on: connection)
        }
    }

    /// The first user `query` returns (it selects ``UserRecord/postgresColumns(_:)``), or nil.
    static func fetchUser(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> UserRecord? {
        try await connection.query(query, logger: logger).first().map { try UserRecord(postgresRow: $0.makeRandomAccess()) }
    }
}
