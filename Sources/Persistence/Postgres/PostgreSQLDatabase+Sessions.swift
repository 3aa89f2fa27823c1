import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Stores a new session, and `audit` if given, in one transaction.
    package func createSession(_ session: SessionRecord, audit: AuditEntry?) async throws(PersistenceError) {
        let logger = logger
        try await write { connection in
            try await Self.insertSession(session, on: connection, logger: logger)
            _ = try await self.appendAudit(audit.map { [$0] } ?? [], on: connection)
        }
    }

    /// Inserts `session` inside the caller's transaction.
    static func insertSession(_ session: SessionRecord, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO sessions (\(unescaped: SessionRecord.postgresColumns())) VALUES (\(session.tokenHash),
                \(session.userID.lowercaseText), \(session.csrfToken), \(session.createdAt.millisecondsSince1970),
                \(session.lastSeenAt.millisecondsSince1970), \(session.expiresAt.millisecondsSince1970))
            """,
            logger: logger
        )
    }

    /// The session with this token hash and its user, read together in one query, or nil.
    package func session(tokenHash: String) async throws(PersistenceError) -> (session: SessionRecord, user: UserRecord)? {
        guard !tokenHash.containsNUL else { return nil }
        let logger = logger
        let found = try await read { connection -> SessionWithUser? in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: SessionRecord.postgresColumns("s.")), \(unescaped: UserRecord.postgresColumns("u."))
                FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = \(tokenHash)
                """,
                logger: logger
            )
            guard let row = try await rows.first()?.makeRandomAccess() else { return nil }
            return SessionWithUser(
                session: try SessionRecord(postgresRow: row),
                user: try UserRecord(postgresRow: row, from: SessionRecord.postgresColumnCount)
            )
        }
        return found.map { ($0.session, $0.user) }
    }

    /// Records activity on a session; returns whether the session exists.
    @discardableResult
    package func touchSession(tokenHash: String, at date: Date) async throws(PersistenceError) -> Bool {
        guard !tokenHash.containsNUL else { return false }
        let logger = logger
        return try await withConnection { connection in
            try await connection.query(
                "UPDATE sessions SET last_seen_at = \(date.millisecondsSince1970) WHERE token_hash = \(tokenHash) RETURNING 1",
                logger: logger
            ).first() != nil
        }
    }

    /// Ends a session, and writes `audit` if given, in one transaction; returns whether the session existed.
    @discardableResult
    package func deleteSession(tokenHash: String, audit: AuditEntry?) async throws(PersistenceError) -> Bool {
        let logger = logger
        return try await write { connection in
            var deleted = false
            if !tokenHash.containsNUL {
                deleted =
                    try await connection.query("DELETE FROM sessions WHERE token_hash = \(tokenHash) RETURNING 1", logger: logger).first() != nil
            }
            _ = try await appendAudit(audit.map { [$0] } ?? [], on: connection)
            return deleted
        }
    }

    /// Removes sessions whose absolute end is before `date`; returns how many.
    @discardableResult
    package func deleteSessions(expiredBefore date: Date) async throws(PersistenceError) -> Int {
        let logger = logger
        return try await withConnection { connection in
            try await connection.query(
                "WITH deleted AS (DELETE FROM sessions WHERE expires_at < \(date.millisecondsSince1970) RETURNING 1) SELECT count(*) FROM deleted",
                logger: logger
            ).decodeAll(Int.self).first ?? 0
        }
    }
}

/// A session and its user, decoded from one joined row.
private struct SessionWithUser: Sendable {
    var session: SessionRecord
    var user: UserRecord
}
