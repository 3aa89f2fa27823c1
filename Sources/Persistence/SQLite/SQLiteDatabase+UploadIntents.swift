import Audit
import Foundation
import GRDB

/// Upload intents (migration `0005_upload_intents`): the keys an upload may have stored objects under before its
/// document rows exist, so that objects of an upload that died (a crash, a lost node) can be found and removed.
///
/// The life of an intent: ``recordUploadIntent(key:at:)`` before a file's first byte leaves for storage; then either
/// ``insertUploadedDocuments(_:audit:)`` deletes it with the document row's insert, or the failed request removes its
/// objects and calls ``deleteUploadIntents(keys:)``, or, if nobody is left to do either, the abandoned-upload sweep
/// claims it with ``abandonUploadIntents(startedBefore:at:limit:)``, removes the object and deletes it.
extension SQLiteDatabase {
    /// Records that an upload is about to store an object at `key`. Throws ``PersistenceError/keyConflict`` if an
    /// intent for the key exists (keys carry a fresh UUID, so that is a bug).
    package func recordUploadIntent(key: String, at date: Date) async throws(PersistenceError) {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO upload_intents (key, started_at) VALUES (?, ?)",
                arguments: [key, date.millisecondsSince1970]
            )
        }
    }

    /// Inserts the documents of an upload and their audit rows like ``insertDocuments(_:audit:)``, and settles the
    /// upload's intents in the same transaction.
    ///
    /// Throws ``PersistenceError/uploadAbandoned``, with nothing written, if a record's intent is missing or the sweep
    /// has claimed it: its object may already be gone, and a row must never point at nothing.
    package func insertUploadedDocuments(_ records: [DocumentRecord], audit: [AuditEntry]) async throws(PersistenceError) {
        try await write { db in
            try self.settleUploadIntents(of: records, in: db)
            try self.insertDocuments(records, audit: audit, in: db)
        }
    }

    /// Deletes the unclaimed intent of each record's key inside the caller's transaction; throws
    /// ``PersistenceError/uploadAbandoned`` if one is missing or claimed by the sweep.
    func settleUploadIntents(of records: [DocumentRecord], in db: Database) throws {
        let settle = try db.cachedStatement(sql: "DELETE FROM upload_intents WHERE key = ? AND abandoned_at IS NULL")
        for record in records {
            try settle.execute(arguments: [record.key])
            guard db.changesCount == 1 else { throw PersistenceError.uploadAbandoned }
        }
    }

    /// Forgets the intents of `keys`, whose objects the caller has removed (a failed upload, a sweep).
    package func deleteUploadIntents(keys: [String]) async throws(PersistenceError) {
        guard !keys.isEmpty else { return }
        try await write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM upload_intents WHERE key = ?")
            for key in keys {
                try delete.execute(arguments: [key])
            }
        }
    }

    /// Claims for removal every intent started before `cutoff` (marking it abandoned at `date`, after which its upload
    /// can no longer commit) and returns up to `limit` claimed keys, oldest first; intents claimed by an earlier sweep
    /// that did not finish are returned again.
    ///
    /// An intent whose key has a document row is only forgotten, never returned: a document's object is never swept.
    package func abandonUploadIntents(startedBefore cutoff: Date, at date: Date, limit: Int) async throws(PersistenceError) -> [String] {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM upload_intents WHERE EXISTS (SELECT 1 FROM documents WHERE documents.key = upload_intents.key)"
            )
            try db.execute(
                sql: "UPDATE upload_intents SET abandoned_at = ? WHERE started_at < ? AND abandoned_at IS NULL",
                arguments: [date.millisecondsSince1970, cutoff.millisecondsSince1970]
            )
            return try String.fetchAll(
                db,
                sql: "SELECT key FROM upload_intents WHERE abandoned_at IS NOT NULL ORDER BY started_at, key LIMIT ?",
                arguments: [max(limit, 1)]
            )
        }
    }
}
