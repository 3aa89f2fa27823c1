import Foundation

/// How long an app may keep a URL from `GET /api/v2/documents/{id}/signed-url` before asking again: until
/// ``refreshMargin`` before it expires, so that a URL taken from the cache always has that long left to be fetched.
///
/// The same instant is given twice: as `refreshAfter` in the body, for apps that keep the URL in their own
/// tables, and as `Cache-Control: private, max-age=N` (RFC 9111 §5.2.2.1, §5.2.2.7), so that an HTTP cache on the
/// device keeps it exactly that long and a shared cache never does.
struct SignedURLCaching: Equatable, Sendable {
    /// How long before expiry an app should stop using a URL: five minutes.
    static let refreshMargin = 300

    let expiresAt: Date
    let refreshAfter: Date
    /// Whole seconds from issue to ``refreshAfter``; 0 for a URL that lives no longer than the margin.
    let maxAge: Int

    init(issuedAt: Date, lifetime: Int) {
        self.maxAge = max(0, lifetime - Self.refreshMargin)
        self.expiresAt = issuedAt.addingTimeInterval(TimeInterval(lifetime))
        self.refreshAfter = issuedAt.addingTimeInterval(TimeInterval(maxAge))
    }

    /// The `Cache-Control` value.
    var cacheControl: String { "private, max-age=\(maxAge)" }
}
