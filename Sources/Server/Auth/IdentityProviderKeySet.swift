import Foundation
import JWTKit

/// One version of an identity provider's JWK set: the keys to verify with, and which key ids it holds.
struct IdentityProviderKeySet: Sendable {
    let keys: JWTKeyCollection
    /// The `kid`s of the set; a token naming another one makes medvault fetch the set again (key rotation).
    let keyIDs: Set<String>

    /// Why a text is not a usable key set.
    struct Invalid: Error, CustomStringConvertible {
        var description: String { "not a JWK set of RSA or EC public keys, each with a kid" }
    }

    /// Parses a JWK set (RFC 7517 §5); every key needs a `kid`, and the set at least one key.
    init(json: String) async throws(Invalid) {
        do {
            let set = try JSONDecoder().decode(JWKS.self, from: Data(json.utf8))
            guard !set.keys.isEmpty else { throw Invalid() }
            keys = try await JWTKeyCollection().add(jwks: set)
            keyIDs = Set(set.keys.compactMap { $0.keyIdentifier?.string })
        } catch {
            throw Invalid()
        }
    }
}
