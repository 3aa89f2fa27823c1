import Audit
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Records that an upload is about to store an object at `key`.
    package func recordUploadIntent(key: String, at date: Date) async throws(PersistenceError) {
        let logger = logger
        try await withConnection { connection in
            _ = try await connection.query(
                "INSERT INTO upload_intents (key, started_at) VALUES (\(key), \(date.millisecondsSince1970))",
                logger: logger
            )
        }
    }

    /// Inserts the documents of an upload and settles its intents, in one transaction.
    ///
    /// Settling deletes each unclaimed intent; a sweep that claimed it first (on any node) has its mark committed or
    /// holds the row's lock, and PostgreSQL re-reads the row after that lock, so the delete then finds nothing and
    /// the upload fails with ``PersistenceError/uploadAbandoned`` instead of pointing a row at a swept object.
    package func insertUploadedDocuments(_ records: [DocumentRecord], audit: [AuditEntry]) async throws(PersistenceError) {
        try await write { connection in
            try await self.settleUploadIntents(of: records, on: connection)
            try await self.insertDocuments(records, audit: audit, on: connection)
        }
    }

    /// Deletes the unclaimed intent of each record's key inside the caller's transaction; throws
    /// ``PersistenceError/uploadAbandoned`` if one is missing or claimed by a sweep.
    func settleUploadIntents(of records: [DocumentRecord], on connection: PostgresConnection) async throws {
        for record in records {
            let settled = try await connection.query(
                "DELETE FROM upload_intents WHERE key = \(record.key) AND abandoned_at IS NULL RETURNING 1",
                logger: logger
            ).first()
            guard settled != nil else { throw PersistenceError.uploadAbandoned }
        }
    }

    /// Forgets the intents of `keys`.
    package func deleteUploadIntents(keys: [String]) async throws(PersistenceError) {
        guard !keys.isEmpty else { return }
        let logger = logger
        try await withConnection { connection in
            _ = try await connection.query("DELETE FROM upload_intents WHERE key = ANY(\(keys))", logger: logger)
        }
    }

    /// Claims every intent started before `cutoff` and returns up to `limit` claimed keys, oldest first.
    package func abandonUploadIntents(startedBefore cutoff: Date, at date: Date, limit: Int) async throws(PersistenceError) -> [String] {
        let logger = logger
        return try await write { connection in
            try await connection.query(
                "DELETE FROM upload_intents WHERE EXISTS (SELECT 1 FROM documents WHERE documents.key = upload_intents.key)",
                logger: logger
            )
            try await connection.query(
                """
                UPDATE upload_intents SET abandoned_at = \(date.millisecondsSince1970)
                WHERE started_at < \(cutoff.millisecondsSince1970) AND abandoned_at IS NULL
                """,
                logger: logger
            )
            return try await connection.query(
                "SELECT key FROM upload_intents WHERE abandoned_at IS NOT NULL ORDER BY started_at, key LIMIT \(max(limit, 1))",
                logger: logger
            ).decodeAll(String.self)
        }
    }
}
