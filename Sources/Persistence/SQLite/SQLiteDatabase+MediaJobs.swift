import Audit
import Documents
import Foundation
import GRDB

/// The media job queue (migration `0018_media_jobs`) on SQLite: one writer at a time, so a claim's select and update
/// in one transaction are atomic.
extension SQLiteDatabase {
    /// Inserts a pending job of each kind; existing jobs are kept.
    package func enqueueMediaJobs(documentID: UUID, kinds: [MediaJobKind], at date: Date) async throws(PersistenceError) {
        guard !kinds.isEmpty else { return }
        try await write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO media_jobs (document_id, kind, state, attempts, created_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?)
                    ON CONFLICT (document_id, kind) DO NOTHING
                    """
            )
            for kind in kinds {
                try insert.execute(arguments: [documentID.lowercaseText, kind.rawValue, date.millisecondsSince1970, date.millisecondsSince1970])
            }
        }
    }

    /// Fails the jobs whose last lease expired, then claims the oldest ready job, in one transaction.
    package func claimMediaJob(owner: String, at date: Date, lease: TimeInterval, maxAttempts: Int) async throws(PersistenceError) -> MediaJob? {
        let now = date.millisecondsSince1970
        let until = date.addingTimeInterval(lease).millisecondsSince1970
        return try await write { db in
            try db.execute(sql: MediaJobSQL.failExpired, arguments: [now, now, maxAttempts])
            guard
                let row = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT document_id, kind, attempts FROM media_jobs WHERE \(MediaJobSQL.ready) ORDER BY created_at, document_id, kind LIMIT 1",
                    arguments: [now, now]
                )
            else { return nil }
            let (id, kind, attempts): (String, String, Int) = (row[0], row[1], row[2])
            try db.execute(
                sql: """
                    UPDATE media_jobs SET state = 'running', owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
                    WHERE document_id = ? AND kind = ?
                    """,
                arguments: [owner, until, now, id, kind]
            )
            return MediaJob(row: (id, kind, "running", attempts + 1, owner))
        }
    }

    /// Marks the job done if its owner still holds it.
    package func completeMediaJob(_ job: MediaJob, at date: Date) async throws(PersistenceError) {
        try await write { db in
            try db.execute(
                sql: MediaJobSQL.complete,
                arguments: [date.millisecondsSince1970, job.documentID.lowercaseText, job.kind.rawValue, job.owner ?? ""]
            )
        }
    }

    /// Gives the job back for a retry at `retryAt`, or fails it after its last attempt.
    package func failMediaJob(_ job: MediaJob, retryAt: Date, at date: Date, maxAttempts: Int) async throws(PersistenceError) -> MediaJobState {
        try await write { db in
            let state = try String.fetchOne(
                db,
                sql: MediaJobSQL.fail,
                arguments: [
                    maxAttempts, retryAt.millisecondsSince1970, date.millisecondsSince1970, job.documentID.lowercaseText, job.kind.rawValue,
                    job.owner ?? "",
                ]
            )
            return state.flatMap(MediaJobState.init(rawValue:)) ?? job.state
        }
    }

    /// The document's jobs, by kind.
    package func mediaJobs(documentID: UUID) async throws(PersistenceError) -> [MediaJob] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT document_id, kind, state, attempts, owner FROM media_jobs WHERE document_id = ? ORDER BY kind",
                arguments: [documentID.lowercaseText]
            ).compactMap { row in MediaJob(row: (row[0], row[1], row[2], row[3], row[4])) }
        }
    }
}
