import Audit
import Documents
import Foundation
import GRDB

/// Direct upload sessions on SQLite (migration `0008_upload_sessions`); see ``UploadSessions`` for their life.
extension SQLiteDatabase {
    package func createUploadSession(_ session: UploadSessionRecord, audit: AuditEntry) async throws(PersistenceError) {
        try await write { db in
            try db.execute(
                sql:
                    "INSERT INTO upload_sessions (\(UploadSessionRecord.columnList)) VALUES (\(databaseQuestionMarks(count: UploadSessionRecord.columns.count)))",
                arguments: StatementArguments(session.databaseValues)
            )
            _ = try self.appendAudit(audit, in: db)
        }
    }

    package func uploadSession(id: UUID) async throws(PersistenceError) -> UploadSessionRecord? {
        try await read { db in try Self.fetchUploadSession(id: id, in: db) }
    }

    package func transitionUploadSession(
        id: UUID,
        from: Set<UploadSessionState>,
        to state: UploadSessionState,
        rejectionCode: String?,
        audit: AuditEntry?
    ) async throws(PersistenceError) -> UploadSessionRecord? {
        try await write { db in
            guard var session = try Self.fetchUploadSession(id: id, in: db), from.contains(session.state) else { return nil }
            try db.execute(
                sql: "UPDATE upload_sessions SET state = ?, rejection_code = ? WHERE id = ?",
                arguments: [state.rawValue, rejectionCode, id.lowercaseText]
            )
            if let audit { _ = try self.appendAudit(audit, in: db) }
            session.state = state
            session.rejectionCode = rejectionCode
            return session
        }
    }

    package func acceptUploadSession(id: UUID, document: DocumentRecord, audit: [AuditEntry]) async throws(PersistenceError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE upload_sessions SET state = 'accepted' WHERE id = ? AND state = 'verifying'",
                arguments: [id.lowercaseText]
            )
            guard db.changesCount == 1 else { throw PersistenceError.uploadAbandoned }
            try db.execute(sql: "DELETE FROM upload_intents WHERE key = ? AND abandoned_at IS NULL", arguments: [document.key])
            guard db.changesCount == 1 else { throw PersistenceError.uploadAbandoned }
            try self.insertDocuments([document], audit: audit, in: db)
        }
    }

    package func expiredUploadSessions(pendingBefore: Date, verifyingBefore: Date, limit: Int) async throws(PersistenceError) -> [UploadSessionRecord]
    {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(UploadSessionRecord.columnList) FROM upload_sessions
                    WHERE (state = 'pending' AND expires_at < ?) OR (state = 'verifying' AND expires_at < ?)
                    ORDER BY expires_at, id LIMIT ?
                    """,
                arguments: [pendingBefore.millisecondsSince1970, verifyingBefore.millisecondsSince1970, max(limit, 1)]
            ).map(UploadSessionRecord.init(row:))
        }
    }

    private static func fetchUploadSession(id: UUID, in db: Database) throws -> UploadSessionRecord? {
        try Row.fetchOne(
            db,
            sql: "SELECT \(UploadSessionRecord.columnList) FROM upload_sessions WHERE id = ?",
            arguments: [id.lowercaseText]
        ).map(UploadSessionRecord.init(row:))
    }
}

extension UploadSessionRecord {
    /// The values of ``columns``, in order, as SQLite stores them.
    fileprivate var databaseValues: [(any DatabaseValueConvertible)?] {
        [
            id.lowercaseText, state.rawValue, stagingKey, documentKey, fileName, size, sha256, category.rawValue, entityType.rawValue,
            entityID, partSize, partCount, multipartUploadID, createdBy, createdAt.millisecondsSince1970, expiresAt.millisecondsSince1970,
            rejectionCode,
        ]
    }

    /// Reads a row selected with ``columnList``.
    fileprivate init(row: Row) throws {
        try self.init(
            stored: StoredFields(
                id: row[0],
                state: row[1],
                category: row[7],
                entityType: row[8],
                createdAt: row[14],
                expiresAt: row[15]
            ),
            stagingKey: row[2],
            documentKey: row[3],
            fileName: row[4],
            size: row[5],
            sha256: row[6],
            entityID: row[9],
            partSize: row[10],
            partCount: row[11],
            multipartUploadID: row[12],
            createdBy: row[13],
            rejectionCode: row[16]
        )
    }
}
