import Audit
import Foundation
import GRDB

extension SQLiteDatabase {
    /// Takes one token from each of `buckets` at `date`, all or none, in one transaction; returns nil when
    /// taken, else how long until every one of them has a token again (then nothing is taken).
    ///
    /// Buckets are stored in `sign_in_buckets` (migrations/0006_sign_in_throttle.sql) by key; the same key
    /// must always come with the same ``TokenBucket``. Buckets that are full again are deleted in the same
    /// transaction, so the table holds only the buckets in use. SQLite runs write transactions one at a time,
    /// so concurrent takes cannot both spend the last token; on PostgreSQL the rows read must be locked
    /// (`SELECT … FOR UPDATE`) for the same guarantee.
    package func takeTokens(_ buckets: [(key: String, bucket: TokenBucket)], at date: Date) async throws(PersistenceError) -> TimeInterval? {
        let now = date.millisecondsSince1970
        return try await write { db in
            var taken: [(key: String, emptyAt: Int64)] = []
            var wait: Int64 = 0
            for (key, bucket) in buckets {
                let stored = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT empty_at FROM sign_in_buckets WHERE bucket_key = ?"),
                    arguments: [key]
                )
                switch bucket.take(emptyAt: stored, now: now) {
                case .taken(let emptyAt): taken.append((key, emptyAt))
                case .refused(let retryAfter): wait = max(wait, retryAfter)
                }
            }
            guard wait == 0 else { return TimeInterval(wait) / 1000 }
            let longestFill = buckets.map(\.bucket.fillTime).max() ?? 0
            try db.cachedStatement(sql: "DELETE FROM sign_in_buckets WHERE empty_at <= ?").execute(arguments: [now - longestFill])
            for (key, emptyAt) in taken {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO sign_in_buckets (bucket_key, empty_at) VALUES (?, ?)
                        ON CONFLICT (bucket_key) DO UPDATE SET empty_at = excluded.empty_at
                        """
                ).execute(arguments: [key, emptyAt])
            }
            return nil
        }
    }
}
