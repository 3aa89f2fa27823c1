import Audit
import Documents
import Foundation
import PostgresNIO

/// The media job queue (migration `0018_media_jobs`) on PostgreSQL, shared by every node: a claim picks its row with
/// `FOR UPDATE SKIP LOCKED`, so two nodes claiming at once take different jobs and never wait on each other.
extension PostgreSQLDatabase {
    /// Inserts a pending job of each kind; existing jobs are kept.
    package func enqueueMediaJobs(documentID: UUID, kinds: [MediaJobKind], at date: Date) async throws(PersistenceError) {
        guard !kinds.isEmpty else { return }
        let (logger, id, now, names) = (logger, documentID.lowercaseText, date.millisecondsSince1970, kinds.map(\.rawValue))
        try await withConnection { connection in
            try await connection.query(
                """
                INSERT INTO media_jobs (document_id, kind, state, attempts, created_at, updated_at)
                SELECT \(id), kind, 'pending', 0, \(now), \(now) FROM unnest(\(names)::text[]) AS kinds (kind)
                ON CONFLICT (document_id, kind) DO NOTHING
                """,
                logger: logger
            )
        }
    }

    /// Fails the jobs whose last lease expired, then claims the oldest ready job that no other claim holds.
    package func claimMediaJob(owner: String, at date: Date, lease: TimeInterval, maxAttempts: Int) async throws(PersistenceError) -> MediaJob? {
        let logger = logger
        let now = date.millisecondsSince1970
        let until = date.addingTimeInterval(lease).millisecondsSince1970
        return try await write { connection -> MediaJob? in
            try await connection.query(Self.mediaJobQuery(MediaJobSQL.failExpired, [now, now, maxAttempts]), logger: logger)
            let claim = Self.mediaJobQuery(
                """
                UPDATE media_jobs SET state = 'running', owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?
                WHERE (document_id, kind) = (
                    SELECT document_id, kind FROM media_jobs WHERE \(MediaJobSQL.ready)
                    ORDER BY created_at, document_id, kind LIMIT 1 FOR UPDATE SKIP LOCKED
                ) RETURNING document_id, kind, state, attempts, owner
                """,
                [owner, until, now, now, now]
            )
            for try await row in try await connection.query(claim, logger: logger).decode((String, String, String, Int, String?).self) {
                return MediaJob(row: row)
            }
            return nil
        }
    }

    /// Marks the job done if its owner still holds it.
    package func completeMediaJob(_ job: MediaJob, at date: Date) async throws(PersistenceError) {
        let logger = logger
        let query = Self.mediaJobQuery(
            MediaJobSQL.complete,
            [date.millisecondsSince1970, job.documentID.lowercaseText, job.kind.rawValue, job.owner ?? ""]
        )
        try await withConnection { connection in
            try await connection.query(query, logger: logger)
        }
    }

    /// Gives the job back for a retry at `retryAt`, or fails it after its last attempt.
    package func failMediaJob(_ job: MediaJob, retryAt: Date, at date: Date, maxAttempts: Int) async throws(PersistenceError) -> MediaJobState {
        let logger = logger
        let query = Self.mediaJobQuery(
            MediaJobSQL.fail,
            [
                maxAttempts, retryAt.millisecondsSince1970, date.millisecondsSince1970, job.documentID.lowercaseText, job.kind.rawValue,
                job.owner ?? "",
            ]
        )
        return try await withConnection { connection in
            let state = try await connection.query(query, logger: logger).decode(String.self).first { _ in true }
            return state.flatMap(MediaJobState.init(rawValue:)) ?? job.state
        }
    }

    /// The document's jobs, by kind.
    package func mediaJobs(documentID: UUID) async throws(PersistenceError) -> [MediaJob] {
        let (logger, id) = (logger, documentID.lowercaseText)
        return try await read { connection in
            try await connection.query(
                "SELECT document_id, kind, state, attempts, owner FROM media_jobs WHERE document_id = \(id) ORDER BY kind",
                logger: logger
            ).decode((String, String, String, Int, String?).self).reduce(into: []) { jobs, row in
                if let job = MediaJob(row: row) { jobs.append(job) }
            }
        }
    }

    /// A statement of ``MediaJobSQL`` (with `?` placeholders) and its values, bound in order.
    private static func mediaJobQuery(_ sql: String, _ values: [any PostgresDynamicTypeEncodable]) -> PostgresQuery {
        var binds = PostgresBindings()
        for value in values {
            binds.append(value)
        }
        return PostgresQuery(unsafeSQL: MediaJobSQL.numbered(sql), binds: binds)
    }
}
