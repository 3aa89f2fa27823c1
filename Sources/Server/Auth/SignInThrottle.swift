import Foundation
import Persistence

/// The token buckets every password sign-in takes from before any password is checked: one per client address
/// and one per account identifier (whether or not an account has it), kept in the database so that nodes
/// sharing it throttle together (``SignInBuckets/takeTokens(_:at:)``).
///
/// Buckets are named by keyed hash (``IdentifierHasher``), so what was typed is not stored here either.
struct SignInThrottle: Sendable {
    let database: any SignInBuckets
    let identifiers: IdentifierHasher
    let settings: SignInThrottleSettings

    /// Takes a token from both buckets; nil when the attempt may go on, else the whole seconds (at least 1)
    /// until it may be repeated, for `Retry-After`.
    func admit(email: String, clientAddress: String?, at date: Date) async throws -> Int? {
        let buckets = [
            (
                key: "address:" + identifiers.hash(clientAddress ?? "unknown"),
                bucket: TokenBucket(size: settings.addressBurst, refillInterval: settings.addressRefill)
            ),
            (key: "account:" + identifiers.hash(email), bucket: TokenBucket(size: settings.accountBurst, refillInterval: settings.accountRefill)),
        ]
        guard let wait = try await database.takeTokens(buckets, at: date) else { return nil }
        return max(1, Int(wait.rounded(.up)))
    }
}
