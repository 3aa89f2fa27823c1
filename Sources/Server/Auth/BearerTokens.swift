import Crypto
import Foundation
import JWTKit
import ObjectStorage

/// Verifies the bearer tokens API clients send, and issues medvault's own (`medvault token issue`).
///
/// medvault's tokens are HS256 with `MEDVAULT_JWT_SECRET` (or a generated `<data>/jwt.key`); an identity
/// provider's are RS256 or ES256, checked against the public keys of `MEDVAULT_JWKS_FILE`. The two key sets
/// are kept apart and a token is routed by its `alg` before verification, so a public key can never be
/// used as an HMAC secret (algorithm confusion) and `none` is never accepted.
package struct BearerTokens: Sendable {
    /// The file the generated HS256 key is kept in when `MEDVAULT_JWT_SECRET` is not set.
    package static let keyFileName = "jwt.key"
    /// The shortest `MEDVAULT_JWT_SECRET` accepted, in bytes (RFC 7518 §3.2: at least the hash size).
    package static let minimumSecretBytes = 32

    private let hmacKeys: JWTKeyCollection
    private let identityProviderKeys: JWTKeyCollection?
    private let algorithms = TokenAlgorithmCache()
    private let now: @Sendable () -> Date

    /// Loads the keys; throws ``ConfigurationError`` for a short secret or an unreadable JWKS file.
    package static func load(settings: AuthSettings, dataDirectory: URL, now: @escaping @Sendable () -> Date) async throws -> BearerTokens {
        let hmacKey: HMACKey
        if let secret = settings.jwtSecret {
            guard secret.value.utf8.count >= minimumSecretBytes else {
                throw ConfigurationError.invalid("MEDVAULT_JWT_SECRET must be at least \(minimumSecretBytes) bytes")
            }
            hmacKey = HMACKey(from: secret.value)
        } else {
            hmacKey = HMACKey(key: try StorageKeyProvider.loadOrCreateKeyFile(at: dataDirectory.appendingPathComponent(keyFileName)))
        }
        let hmacKeys = await JWTKeyCollection().add(hmac: hmacKey, digestAlgorithm: .sha256)
        var identityProviderKeys: JWTKeyCollection?
        if let file = settings.jwksFile {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw ConfigurationError.invalid("MEDVAULT_JWKS_FILE cannot be read")
            }
            do {
                identityProviderKeys = try await JWTKeyCollection().add(jwksJSON: text)
            } catch {
                throw ConfigurationError.invalid("MEDVAULT_JWKS_FILE is not a JWK set of RSA or EC public keys")
            }
        }
        return BearerTokens(hmacKeys: hmacKeys, identityProviderKeys: identityProviderKeys, now: now)
    }

    /// Verifies `token`'s signature, claims and expiry.
    package func verify(_ token: String) async throws(AuthenticationFailure) -> TokenClaims {
        let keys: JWTKeyCollection?
        switch algorithms.algorithm(of: token) {
        case "HS256": keys = hmacKeys
        case "RS256", "ES256": keys = identityProviderKeys
        default: keys = nil
        }
        guard let keys, let claims = try? await keys.verify(token, as: TokenClaims.self) else { throw .invalidToken }
        guard claims.exp.value > now() else { throw .tokenExpired }
        return claims
    }

    /// Signs `claims` with the HS256 key.
    package func issue(_ claims: TokenClaims) async throws -> String {
        try await hmacKeys.sign(claims)
    }
}
