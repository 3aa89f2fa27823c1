import Configuration
import Foundation

extension AppConfiguration {
    /// The identity provider, if `MEDVAULT_JWKS_FILE` or `MEDVAULT_JWKS_URL` is set (``IdentityProviderSettings``).
    ///
    /// Start-up is refused when a key set comes without `MEDVAULT_JWT_ISSUER` and `MEDVAULT_JWT_AUDIENCE` (its tokens
    /// would be accepted whoever they were issued for), when both sources are set, when the URL is not https, and
    /// when the CA file is set without a URL.
    static func loadIdentityProvider(from reader: ConfigReader) throws(ConfigurationError) -> IdentityProviderSettings? {
        let file = reader.string(forKey: "medvault.jwks.file").nonEmpty
        let urlText = reader.string(forKey: "medvault.jwks.url").nonEmpty
        let caFile = reader.string(forKey: "medvault.jwks.ca.file").nonEmpty.map { URL(fileURLWithPath: $0) }
        let keys: IdentityProviderSettings.KeySource
        switch (file, urlText) {
        case (nil, nil):
            guard caFile == nil else { throw .invalid("MEDVAULT_JWKS_CA_FILE is only used with MEDVAULT_JWKS_URL") }
            return nil
        case (.some, .some):
            throw .invalid("Set MEDVAULT_JWKS_FILE or MEDVAULT_JWKS_URL, not both")
        case (.some(let path), nil):
            guard caFile == nil else { throw .invalid("MEDVAULT_JWKS_CA_FILE is only used with MEDVAULT_JWKS_URL") }
            keys = .file(URL(fileURLWithPath: path))
        case (nil, .some(let text)):
            guard let url = URL(string: text), url.scheme?.lowercased() == "https", url.host?.isEmpty == false else {
                throw .invalid("MEDVAULT_JWKS_URL must be an https URL (trust a private CA with MEDVAULT_JWKS_CA_FILE)")
            }
            keys = .url(url)
        }
        guard let issuer = reader.string(forKey: "medvault.jwt.issuer").nonEmpty,
            let audience = reader.string(forKey: "medvault.jwt.audience").nonEmpty
        else {
            throw .invalid(
                "MEDVAULT_JWT_ISSUER and MEDVAULT_JWT_AUDIENCE are required with MEDVAULT_JWKS_FILE or MEDVAULT_JWKS_URL: "
                    + "an identity provider's tokens are accepted only when it issued them for medvault"
            )
        }
        let defaults = IdentityProviderSettings(keys: keys, issuer: issuer, audience: audience)
        return IdentityProviderSettings(
            keys: keys,
            issuer: issuer,
            audience: audience,
            trustedCAFile: caFile,
            refetchInterval: try seconds(
                reader,
                "medvault.jwks.refetch.interval",
                name: "MEDVAULT_JWKS_REFETCH_INTERVAL",
                default: defaults.refetchInterval
            ),
            maxAge: try seconds(reader, "medvault.jwks.max.age", name: "MEDVAULT_JWKS_MAX_AGE", default: defaults.maxAge)
        )
    }
}
