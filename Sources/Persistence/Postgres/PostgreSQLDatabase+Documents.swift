import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Inserts uploaded documents and their audit rows in one transaction: all of them, or none.
    package func insertDocuments(_ records: [DocumentRecord], audit: [AuditEntry]) async throws(PersistenceError) {
        try await write { connection in try await self.insertDocuments(records, audit: audit, on: connection) }
    }

    /// ``insertDocuments(_:audit:)`` inside the caller's transaction.
    func insertDocuments(_ records: [DocumentRecord], audit: [AuditEntry], on connection: PostgresConnection) async throws {
        for record in records {
            try await connection.query(
                """
                INSERT INTO documents (\(unescaped: DocumentRecord.postgresColumns)) VALUES (\(record.id.lowercaseText), \(record.key),
                    \(record.fileName), \(DocumentRecord.searchName(for: record.fileName)), \(record.size), \(record.contentType),
                    \(record.category.rawValue), \(record.entityType.rawValue), \(record.entityID), \(record.sha256), \(record.etag),
                    \(record.uploadedAt.millisecondsSince1970), \(record.uploadedBy), \(record.status.rawValue), \(record.originalKey),
                    \(record.archivedAt?.millisecondsSince1970), \(record.holdReason), \(record.heldAt?.millisecondsSince1970),
                    \(record.heldBy))
                """,
                logger: logger
            )
        }
        _ = try await appendAudit(audit, on: connection)
    }

    /// Archives a document (soft delete) and writes its audit row, in one transaction; returns the updated row.
    /// The row is locked while it is checked, so two nodes archiving it at once cannot both succeed.
    package func archiveDocument(id: UUID, archivedKey: String, at date: Date, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(
            id: id,
            audit: audit,
            check: { record in
                guard record.status == .active else { throw PersistenceError.alreadyArchived }
                guard !record.isHeld else { throw PersistenceError.legalHold }
            },
            update: """
                UPDATE documents SET original_key = key, key = \(archivedKey), status = 'archived',
                    archived_at = \(date.millisecondsSince1970)
                WHERE id = \(id.lowercaseText) RETURNING \(unescaped: DocumentRecord.postgresColumns)
                """
        )
    }

    /// Restores an archived document (status `active`, key back to `original_key`) and writes its audit row, in one
    /// transaction; returns the updated row. The row is locked while it is checked, as when archiving.
    package func restoreDocument(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(
            id: id,
            audit: audit,
            check: { record in guard record.status == .archived, record.originalKey != nil else { throw PersistenceError.notArchived } },
            update: """
                UPDATE documents SET key = original_key, original_key = NULL, status = 'active', archived_at = NULL
                WHERE id = \(id.lowercaseText) RETURNING \(unescaped: DocumentRecord.postgresColumns)
                """
        )
    }

    /// Locks document `id`, lets `check` refuse the change, runs `update` (an `UPDATE` or `DELETE` of that one row
    /// `RETURNING` its ``DocumentRecord/postgresColumns``) and appends the audit row, all in one transaction;
    /// returns the row as the statement left it. Throws ``PersistenceError/notFound`` when there is no such document.
    func changeDocument(
        id: UUID,
        audit: AuditEntry,
        check: @escaping @Sendable (DocumentRecord) throws -> Void,
        update: PostgresQuery
    ) async throws(PersistenceError) -> DocumentRecord {
        let logger = logger
        return try await write { connection in
            guard let record = try await Self.fetchDocument(id: id, on: connection, logger: logger, forUpdate: true) else {
                throw PersistenceError.notFound
            }
            try check(record)
            guard let row = try await connection.query(update, logger: logger).first() else { throw PersistenceError.notFound }
            let changed = try DocumentRecord(postgresRow: row)
            _ = try await appendAudit([audit], on: connection)
            return changed
        }
    }

    /// Removes a document's row for good and writes its audit row, in one transaction; returns the removed row.
    /// A held document is refused with ``PersistenceError/legalHold``; the row is locked while it is checked.
    @discardableResult
    package func deleteDocument(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(
            id: id,
            audit: audit,
            check: { record in guard !record.isHeld else { throw PersistenceError.legalHold } },
            update: "DELETE FROM documents WHERE id = \(id.lowercaseText) RETURNING \(unescaped: DocumentRecord.postgresColumns)"
        )
    }

    /// The document with this id, active or archived, or nil.
    package func document(id: UUID) async throws(PersistenceError) -> DocumentRecord? {
        let logger = logger
        return try await read { connection in try await Self.fetchDocument(id: id, on: connection, logger: logger, forUpdate: false) }
    }

    /// The document currently stored under this key, active or archived, or nil.
    package func document(key: String) async throws(PersistenceError) -> DocumentRecord? {
        // PostgreSQL text cannot hold NUL, so no stored key has one (and binding one would be an error).
        guard !key.containsNUL else { return nil }
        let logger = logger
        return try await read { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: DocumentRecord.postgresColumns) FROM documents WHERE key = \(key)",
                logger: logger
            )
            return try await rows.first().map(DocumentRecord.init(postgresRow:))
        }
    }

    private static func fetchDocument(id: UUID, on connection: PostgresConnection, logger: Logger, forUpdate: Bool) async throws -> DocumentRecord? {
        let rows = try await connection.query(
            "SELECT \(unescaped: DocumentRecord.postgresColumns) FROM documents WHERE id = \(id.lowercaseText)\(unescaped: forUpdate ? " FOR UPDATE" : "")",
            logger: logger
        )
        return try await rows.first().map(DocumentRecord.init(postgresRow:))
    }
}
