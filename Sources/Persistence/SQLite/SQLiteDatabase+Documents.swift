import Audit
import Documents
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Inserts uploaded documents and their audit rows in one transaction: all of them, or none.
    ///
    /// `search_name` is derived here from each file name (``DocumentRecord/searchName(for:)``), so search
    /// cannot miss a document whose caller computed it differently.
    /// Throws ``PersistenceError/keyConflict`` if a key or id exists, ``PersistenceError/constraintViolation``
    /// if a row breaks the schema's rules, and any error of writing the audit rows, in which case no
    /// document row is kept either.
    package func insertDocuments(_ records: [DocumentRecord], audit: [AuditEntry]) async throws(PersistenceError) {
        try await write { db in try self.insertDocuments(records, audit: audit, in: db) }
    }

    /// ``insertDocuments(_:audit:)`` inside the caller's transaction.
    func insertDocuments(_ records: [DocumentRecord], audit: [AuditEntry], in db: Database) throws {
        for var record in records {
            record.searchName = DocumentRecord.searchName(for: record.fileName)
            try record.insert(db)
        }
        for entry in audit {
            _ = try appendAudit(entry, in: db)
        }
    }

    /// Archives a document (soft delete): status `archived`, key moved to `archivedKey`, the old key kept in
    /// `originalKey`, and the audit row written, in one transaction. Returns the updated row.
    ///
    /// The caller moves the object in storage; throws ``PersistenceError/notFound``, ``PersistenceError/alreadyArchived``,
    /// ``PersistenceError/legalHold``, or ``PersistenceError/keyConflict`` if `archivedKey` is taken.
    package func archiveDocument(id: UUID, archivedKey: String, at date: Date, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(id: id, audit: audit) { record in
            guard record.status == .active else { throw PersistenceError.alreadyArchived }
            guard !record.isHeld else { throw PersistenceError.legalHold }
            record.originalKey = record.key
            record.key = archivedKey
            record.status = .archived
            record.archivedAt = date.roundedToMilliseconds
        }
    }

    /// Restores an archived document (status `active`, key back to `originalKey`) and writes its audit row, in one
    /// transaction; returns the updated row. Throws ``PersistenceError/notFound``, ``PersistenceError/notArchived``,
    /// or ``PersistenceError/keyConflict`` if another document took the original key.
    package func restoreDocument(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await changeDocument(id: id, audit: audit) { record in
            guard record.status == .archived, let originalKey = record.originalKey else { throw PersistenceError.notArchived }
            record.key = originalKey
            record.originalKey = nil
            record.status = .active
            record.archivedAt = nil
        }
    }

    /// Reads document `id`, lets `change` refuse or edit it, writes it back and appends the audit row, all in one
    /// transaction; returns the row as written. Throws ``PersistenceError/notFound`` when there is no such document.
    func changeDocument(
        id: UUID,
        audit: AuditEntry,
        _ change: @escaping @Sendable (inout DocumentRecord) throws -> Void
    ) async throws(PersistenceError) -> DocumentRecord {
        try await write { db in
            guard var record = try Self.fetchDocument(id: id, in: db) else { throw PersistenceError.notFound }
            try change(&record)
            try record.update(db)
            _ = try appendAudit(audit, in: db)
            return record
        }
    }

    /// Removes a document's row for good and writes its audit row, in one transaction; returns the removed row
    /// so the caller can delete the object. Throws ``PersistenceError/notFound`` if there is no such document.
    @discardableResult
    package func deleteDocument(id: UUID, audit: AuditEntry) async throws(PersistenceError) -> DocumentRecord {
        try await write { db in
            guard let record = try Self.fetchDocument(id: id, in: db) else { throw PersistenceError.notFound }
            guard !record.isHeld else { throw PersistenceError.legalHold }
            try record.delete(db)
            _ = try appendAudit(audit, in: db)
            return record
        }
    }

    /// The document with this id, active or archived, or nil.
    package func document(id: UUID) async throws(PersistenceError) -> DocumentRecord? {
        try await read { db in try Self.fetchDocument(id: id, in: db) }
    }

    /// The document currently stored under this key, active or archived, or nil.
    package func document(key: String) async throws(PersistenceError) -> DocumentRecord? {
        try await read { db in
            try DocumentRecord.fetchOne(
                db.cachedStatement(sql: "SELECT \(DocumentRecord.selectionSQL) FROM documents WHERE key = ?"),
                arguments: [key]
            )
        }
    }

    private static func fetchDocument(id: UUID, in db: Database) throws -> DocumentRecord? {
        try DocumentRecord.fetchOne(
            db.cachedStatement(sql: "SELECT \(DocumentRecord.selectionSQL) FROM documents WHERE id = ?"),
            arguments: [id.lowercaseText]
        )
    }
}
