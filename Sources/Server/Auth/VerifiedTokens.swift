import Crypto
import Synchronization

/// The claims of medvault's own (HS256) tokens whose signature has already been checked, by the token's SHA-256.
///
/// An API client sends the same bearer token with every request, and checking it again meant decoding base64url,
/// decoding the claims' JSON and an HMAC, behind an actor hop: about 5% of an audited 100 KiB read's CPU time. The
/// HS256 key never changes while the server runs, so a token that verified once verifies again with the same claims;
/// its times (`exp`, `nbf`, `iat`) and its user are still checked on every request. An identity provider's tokens
/// are not kept, since its keys can be withdrawn. Only a digest is kept, never the token (a credential); when
/// ``capacity`` digests are known the set starts again empty.
final class VerifiedTokens: Sendable {
    /// The most tokens remembered at once.
    static let capacity = 4096

    private let known = Mutex<[SHA256Digest: TokenClaims]>([:])

    /// The claims of `token` when its signature was checked before.
    func claims(of token: String) -> TokenClaims? {
        let digest = SHA256.hash(data: Array(token.utf8))
        return known.withLock { $0[digest] }
    }

    /// Remembers that `token`'s signature checked out, with its `claims`.
    func remember(_ claims: TokenClaims, of token: String) {
        let digest = SHA256.hash(data: Array(token.utf8))
        known.withLock { known in
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known[digest] = claims
        }
    }
}
