import Audit
import Foundation
import PostgresNIO

extension PostgreSQLDatabase {
    /// Takes one token from each of `buckets` at `date`, all or none, in one transaction; returns nil when taken,
    /// else how long until every one of them has a token again.
    ///
    /// Each bucket key is locked first with a transaction-scoped advisory lock (keys in sorted order, so two takes
    /// never wait on each other crosswise): a bucket that has no row yet (a full one) cannot be locked `FOR UPDATE`,
    /// and two nodes must not both spend its first token. Buckets that are full again are deleted as on SQLite.
    package func takeTokens(_ buckets: [(key: String, bucket: TokenBucket)], at date: Date) async throws(PersistenceError) -> TimeInterval? {
        let now = date.millisecondsSince1970
        let logger = logger
        return try await write { connection in
            for key in Set(buckets.map(\.key)).sorted() {
                _ = try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: logger).collect()
            }
            var taken: [(key: String, emptyAt: Int64)] = []
            var wait: Int64 = 0
            for (key, bucket) in buckets {
                let stored = try await connection.query(
                    "SELECT empty_at FROM sign_in_buckets WHERE bucket_key = \(key)",
                    logger: logger
                ).decodeAll(Int64.self).first
                switch bucket.take(emptyAt: stored, now: now) {
                case .taken(let emptyAt): taken.append((key, emptyAt))
                case .refused(let retryAfter): wait = max(wait, retryAfter)
                }
            }
            guard wait == 0 else { return TimeInterval(wait) / 1000 }
            let longestFill = buckets.map(\.bucket.fillTime).max() ?? 0
            try await connection.query("DELETE FROM sign_in_buckets WHERE empty_at <= \(now - longestFill)", logger: logger)
            for (key, emptyAt) in taken {
                try await connection.query(
                    """
                    INSERT INTO sign_in_buckets (bucket_key, empty_at) VALUES (\(key), \(emptyAt))
                    ON CONFLICT (bucket_key) DO UPDATE SET empty_at = excluded.empty_at
                    """,
                    logger: logger
                )
            }
            return nil
        }
    }
}
