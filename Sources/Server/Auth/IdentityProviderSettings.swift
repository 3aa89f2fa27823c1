import Foundation

/// An identity provider whose RS256 / ES256 bearer tokens medvault accepts beside its own: where its public
/// keys come from, and whom its tokens must be from and for.
///
/// A key set alone says only who signed a token; the same provider signs tokens for every application it
/// serves. So tokens are accepted only with `iss` equal to ``issuer`` and ``audience`` among their `aud`, and
/// both must be configured whenever a key set is.
package struct IdentityProviderSettings: Sendable, Equatable {
    /// Where the provider's public keys (a JWK set) are read from.
    package enum KeySource: Sendable, Equatable {
        /// `MEDVAULT_JWKS_FILE`: read once at start-up.
        case file(URL)
        /// `MEDVAULT_JWKS_URL`: fetched over HTTPS at start-up, again when a token names a key id the set lacks
        /// (at most once per ``IdentityProviderSettings/refetchInterval``) and once it is ``maxAge`` old; the last
        /// good set is kept while the provider cannot be reached.
        case url(URL)
    }

    package var keys: KeySource
    /// `MEDVAULT_JWT_ISSUER`: the `iss` the provider's tokens must carry.
    package var issuer: String
    /// `MEDVAULT_JWT_AUDIENCE`: a value the provider's tokens must carry in `aud` (medvault's client id there).
    package var audience: String
    /// `MEDVAULT_JWKS_CA_FILE`: PEM certificates trusted for `MEDVAULT_JWKS_URL` instead of the system's (a
    /// hospital's own CA); nil trusts the system's.
    package var trustedCAFile: URL?
    /// `MEDVAULT_JWKS_REFETCH_INTERVAL` (seconds, default 60): the least time between two fetches of the set.
    package var refetchInterval: TimeInterval
    /// `MEDVAULT_JWKS_MAX_AGE` (seconds, default 3600): how long a fetched set is used before it is fetched again.
    package var maxAge: TimeInterval

    package init(
        keys: KeySource,
        issuer: String,
        audience: String,
        trustedCAFile: URL? = nil,
        refetchInterval: TimeInterval = 60,
        maxAge: TimeInterval = 3600
    ) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.trustedCAFile = trustedCAFile
        self.refetchInterval = refetchInterval
        self.maxAge = maxAge
    }
}
