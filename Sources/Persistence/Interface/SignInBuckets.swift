import Foundation

/// The token buckets that throttle password sign-in (per client address, per account identifier), kept in the
/// database so that every node sharing it sees the same buckets.
package protocol SignInBuckets: Sendable {
    /// Takes one token from each of `buckets` at `date`, all or none, in one transaction; returns nil when taken,
    /// else how long until every one of them has a token again (then nothing is taken). Concurrent takes on any node
    /// cannot both spend the last token of a bucket.
    func takeTokens(_ buckets: [(key: String, bucket: TokenBucket)], at date: Date) async throws(PersistenceError) -> TimeInterval?
}
