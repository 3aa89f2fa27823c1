import Audit
import Documents
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Records the revocation, moves the row to `newKey` if given, and writes the audit row, in one transaction. The
    /// row is locked first, so a revocation and an archive of the same document on two nodes happen one after the other.
    package func revokeURLs(documentID: UUID, notBefore: Date, newKey: String?, audit: AuditEntry) async throws(PersistenceError) -> RevokedURLs {
        let logger = logger
        return try await write { connection in
            let id = documentID.lowercaseText
            let rows = try await connection.query(
                """
                UPDATE documents SET key = COALESCE(\(newKey), key) WHERE id = \(id)
                RETURNING \(unescaped: DocumentRecord.postgresColumns)
                """,
                logger: logger
            )
            guard let row = try await rows.first() else { throw PersistenceError.notFound }
            let record = try DocumentRecord(postgresRow: row)
            let recorded = try await connection.query(
                """
                INSERT INTO document_url_revocations (document_id, not_before) VALUES (\(id), \(notBefore.millisecondsSince1970))
                ON CONFLICT (document_id) DO UPDATE
                    SET not_before = GREATEST(excluded.not_before, document_url_revocations.not_before + 1000)
                RETURNING not_before
                """,
                logger: logger
            )
            guard let milliseconds = try await recorded.first()?.decode(Int64.self) else { throw PersistenceError.notFound }
            _ = try await appendAudit([audit], on: connection)
            return RevokedURLs(document: record, notBefore: Date(millisecondsSince1970: milliseconds))
        }
    }

    /// The recorded not-before instant, or nil.
    package func urlsNotBefore(documentID: UUID) async throws(PersistenceError) -> Date? {
        let logger = logger
        return try await read { connection in
            let rows = try await connection.query(
                "SELECT not_before FROM document_url_revocations WHERE document_id = \(documentID.lowercaseText)",
                logger: logger
            )
            return try await rows.first().map { Date(millisecondsSince1970: try $0.decode(Int64.self)) }
        }
    }
}
