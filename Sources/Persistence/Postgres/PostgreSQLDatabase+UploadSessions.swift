import Audit
import Documents
import Foundation
import PostgresNIO

/// Direct upload sessions on PostgreSQL (migration `0008_upload_sessions`); see ``UploadSessions`` for their life.
///
/// State changes lock the session's row (`FOR UPDATE`, or an `UPDATE … WHERE state = …`), so two nodes completing,
/// aborting or expiring the same session cannot both win.
extension PostgreSQLDatabase {
    package func createUploadSession(_ session: UploadSessionRecord, audit: AuditEntry) async throws(PersistenceError) {
        let logger = logger
        try await write { connection in
            try await connection.query(
                """
                INSERT INTO upload_sessions (\(unescaped: UploadSessionRecord.columnList)) VALUES (\(session.id.lowercaseText),
                    \(session.state.rawValue), \(session.stagingKey), \(session.documentKey), \(session.fileName), \(session.size),
                    \(session.sha256), \(session.category.rawValue), \(session.entityType.rawValue), \(session.entityID),
                    \(session.partSize), \(Int32(session.partCount)), \(session.multipartUploadID), \(session.createdBy),
                    \(session.createdAt.millisecondsSince1970), \(session.expiresAt.millisecondsSince1970), \(session.rejectionCode))
                """,
                logger: logger
            )
            _ = try await self.appendAudit([audit], on: connection)
        }
    }

    package func uploadSession(id: UUID) async throws(PersistenceError) -> UploadSessionRecord? {
        let logger = logger
        return try await read { connection in
            try await Self.fetchUploadSession(id: id, on: connection, logger: logger, forUpdate: false)
        }
    }

    package func transitionUploadSession(
        id: UUID,
        from: Set<UploadSessionState>,
        to state: UploadSessionState,
        rejectionCode: String?,
        audit: AuditEntry?
    ) async throws(PersistenceError) -> UploadSessionRecord? {
        let logger = logger
        return try await write { connection in
            guard var session = try await Self.fetchUploadSession(id: id, on: connection, logger: logger, forUpdate: true),
                from.contains(session.state)
            else { return nil }
            try await connection.query(
                "UPDATE upload_sessions SET state = \(state.rawValue), rejection_code = \(rejectionCode) WHERE id = \(id.lowercaseText)",
                logger: logger
            )
            _ = try await self.appendAudit(audit.map { [$0] } ?? [], on: connection)
            session.state = state
            session.rejectionCode = rejectionCode
            return session
        }
    }

    package func acceptUploadSession(id: UUID, document: DocumentRecord, audit: [AuditEntry]) async throws(PersistenceError) {
        let logger = logger
        try await write { connection in
            let accepted = try await connection.query(
                "UPDATE upload_sessions SET state = 'accepted' WHERE id = \(id.lowercaseText) AND state = 'verifying' RETURNING 1",
                logger: logger
            ).first()
            guard accepted != nil else { throw PersistenceError.uploadAbandoned }
            let settled = try await connection.query(
                "DELETE FROM upload_intents WHERE key = \(document.key) AND abandoned_at IS NULL RETURNING 1",
                logger: logger
            ).first()
            guard settled != nil else { throw PersistenceError.uploadAbandoned }
            try await self.insertDocuments([document], audit: audit, on: connection)
        }
    }

    package func expiredUploadSessions(pendingBefore: Date, verifyingBefore: Date, limit: Int) async throws(PersistenceError) -> [UploadSessionRecord]
    {
        let logger = logger
        return try await read { connection in
            var sessions: [UploadSessionRecord] = []
            let rows = try await connection.query(
                """
                SELECT \(unescaped: UploadSessionRecord.columnList) FROM upload_sessions
                WHERE (state = 'pending' AND expires_at < \(pendingBefore.millisecondsSince1970))
                    OR (state = 'verifying' AND expires_at < \(verifyingBefore.millisecondsSince1970))
                ORDER BY expires_at, id LIMIT \(max(limit, 1))
                """,
                logger: logger
            )
            for try await row in rows {
                sessions.append(try UploadSessionRecord(postgresRow: row.makeRandomAccess()))
            }
            return sessions
        }
    }

    private static func fetchUploadSession(
        id: UUID,
        on connection: PostgresConnection,
        logger: Logger,
        forUpdate: Bool
    ) async throws
        -> UploadSessionRecord?
    {
        let lock = forUpdate ? " FOR UPDATE" : ""
        let rows = try await connection.query(
            "SELECT \(unescaped: UploadSessionRecord.columnList) FROM upload_sessions WHERE id = \(id.lowercaseText)\(unescaped: lock)",
            logger: logger
        )
        guard let row = try await rows.first() else { return nil }
        return try UploadSessionRecord(postgresRow: row.makeRandomAccess())
    }
}

extension UploadSessionRecord {
    /// Reads a row selected with ``columnList``.
    fileprivate init(postgresRow row: PostgresRandomAccessRow) throws {
        try self.init(
            stored: StoredFields(
                id: try row[0].decode(String.self),
                state: try row[1].decode(String.self),
                category: try row[7].decode(String.self),
                entityType: try row[8].decode(String.self),
                createdAt: try row[14].decode(Int64.self),
                expiresAt: try row[15].decode(Int64.self)
            ),
            stagingKey: try row[2].decode(String.self),
            documentKey: try row[3].decode(String.self),
            fileName: try row[4].decode(String.self),
            size: try row[5].decode(Int64.self),
            sha256: try row[6].decode(String?.self),
            entityID: try row[9].decode(String.self),
            partSize: try row[10].decode(Int64.self),
            partCount: Int(try row[11].decode(Int32.self)),
            multipartUploadID: try row[12].decode(String?.self),
            createdBy: try row[13].decode(String.self),
            rejectionCode: try row[16].decode(String?.self)
        )
    }
}
