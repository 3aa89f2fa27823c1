import Crypto
import Foundation
import JWTKit
import Logging
import ObjectStorage

/// Verifies the bearer tokens API clients send, and issues medvault's own (`medvault token issue`).
///
/// medvault's tokens are HS256 with `MEDVAULT_JWT_SECRET` (or a generated `<data>/jwt.key`); an identity
/// provider's are RS256 or ES256, checked against its public keys (``IdentityProviderKeys``) and accepted only
/// with the configured `iss` and `aud`. The two key sets are kept apart and a token is routed by its `alg` before
/// verification, so a public key can never be used as an HMAC secret (algorithm confusion) and `none` is never
/// accepted. Every token's `exp` must be ahead and its `nbf` and `iat`, when present, not ahead (give or take
/// ``clockLeeway`` for clocks that differ between the provider and medvault).
package struct BearerTokens: Sendable {
    /// The file the generated HS256 key is kept in when `MEDVAULT_JWT_SECRET` is not set.
    package static let keyFileName = "jwt.key"
    /// The shortest `MEDVAULT_JWT_SECRET` accepted, in bytes (RFC 7518 §3.2: at least the hash size).
    package static let minimumSecretBytes = 32
    /// How far a token's `nbf` and `iat` may be ahead of medvault's clock.
    package static let clockLeeway: TimeInterval = 60

    private let hmacKeys: JWTKeyCollection
    private let identityProvider: (keys: IdentityProviderKeys, settings: IdentityProviderSettings)?
    private let headers = TokenHeaderCache()
    private let verified = VerifiedTokens()
    private let now: @Sendable () -> Date

    /// Loads the keys; throws ``ConfigurationError`` for a short secret, an unreadable JWKS file or CA file.
    /// A JWKS URL is not fetched here (see ``prepare()``).
    package static func load(
        settings: AuthSettings,
        dataDirectory: URL,
        now: @escaping @Sendable () -> Date,
        logger: Logger
    ) async throws -> BearerTokens {
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
        var identityProvider: (keys: IdentityProviderKeys, settings: IdentityProviderSettings)?
        if let provider = settings.identityProvider {
            identityProvider = (try await identityProviderKeys(provider, now: now, logger: logger), provider)
        }
        return BearerTokens(hmacKeys: hmacKeys, identityProvider: identityProvider, now: now)
    }

    private static func identityProviderKeys(
        _ settings: IdentityProviderSettings,
        now: @escaping @Sendable () -> Date,
        logger: Logger
    ) async throws -> IdentityProviderKeys {
        switch settings.keys {
        case .file(let file):
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                throw ConfigurationError.invalid("MEDVAULT_JWKS_FILE cannot be read")
            }
            do {
                return IdentityProviderKeys(fixed: try await IdentityProviderKeySet(json: text), logger: logger)
            } catch {
                throw ConfigurationError.invalid("MEDVAULT_JWKS_FILE is \(error)")
            }
        case .url(let url):
            return IdentityProviderKeys(
                source: try HTTPSJWKSSource(url: url, trustedCAFile: settings.trustedCAFile),
                refetchInterval: settings.refetchInterval,
                maxAge: settings.maxAge,
                now: now,
                logger: logger
            )
        }
    }

    /// Starts fetching the identity provider's keys, when they come from a URL, without waiting: a provider that
    /// cannot be reached does not hold up or stop start-up, and its tokens are refused until a fetch succeeds (the
    /// first token waits for the fetch under way).
    package func prepare() {
        guard let keys = identityProvider?.keys else { return }
        Task { await keys.refresh() }
    }

    /// Verifies `token`'s signature, claims and times.
    package func verify(_ token: String) async throws(AuthenticationFailure) -> TokenClaims {
        let header = headers.header(of: token)
        let claims: TokenClaims
        var binding: IdentityProviderSettings?
        switch header.algorithm {
        case "HS256":
            if let known = verified.claims(of: token) {
                claims = known
            } else {
                guard let checked = try? await hmacKeys.verify(token, as: TokenClaims.self) else { throw .invalidToken }
                verified.remember(checked, of: token)
                claims = checked
            }
        case "RS256", "ES256":
            guard let keys = await identityProvider?.keys.keys(for: header.keyID),
                let checked = try? await keys.verify(token, as: TokenClaims.self)
            else { throw .invalidToken }
            claims = checked
            binding = identityProvider?.settings
        default:
            throw .invalidToken
        }
        let now = now()
        guard claims.exp.value > now else { throw .tokenExpired }
        let latest = now.addingTimeInterval(Self.clockLeeway)
        guard (claims.nbf?.value).map({ $0 <= latest }) ?? true, (claims.iat?.value).map({ $0 <= latest }) ?? true else {
            throw .invalidToken
        }
        if let binding {
            guard claims.iss?.value == binding.issuer, claims.aud?.value.contains(binding.audience) == true else { throw .invalidToken }
        }
        return claims
    }

    /// Signs `claims` with the HS256 key.
    package func issue(_ claims: TokenClaims) async throws -> String {
        try await hmacKeys.sign(claims)
    }
}
