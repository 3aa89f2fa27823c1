import Crypto
import Foundation
import ObjectStorage
import Persistence

/// Keyed hashes of what people type into the sign-in form's e-mail field, for the audit trail and the
/// sign-in throttle, which must tell attempts apart without keeping what was typed.
///
/// People type passwords into the e-mail field; recorded verbatim in an audit row (`unknown account …`), the
/// password would be kept for as long as the trail. Unknown identifiers are recorded as
/// HMAC-SHA256(key, normalised identifier) instead: the same text always gives the same value, so repeated
/// attempts can still be correlated, but a copy of the database alone does not reveal it, nor can anyone
/// without the key test guesses (e-mail addresses) against it.
///
/// The key is `MEDVAULT_IDENTIFIER_KEY` (base64 of 32 bytes), else `<data>/identifier.key`, generated once
/// with mode 0600. It is never stored in the database. Nodes that share one database need the same key
/// (set the variable) so that their hashes, and their throttle buckets, agree.
package struct IdentifierHasher: Sendable {
    /// The file the generated key is kept in when `MEDVAULT_IDENTIFIER_KEY` is not set.
    package static let keyFileName = "identifier.key"
    /// How many bytes of the HMAC are kept: 128 bits, enough that two identifiers never collide.
    static let keptBytes = 16

    private let key: SymmetricKey

    /// A hasher with `key` (tests; the server uses ``load(configured:dataDirectory:)``).
    package init(key: SymmetricKey) {
        self.key = key
    }

    /// The configured key, else the data directory's key file (created on first start).
    package static func load(configured: SecretValue?, dataDirectory: URL) throws -> IdentifierHasher {
        if let configured {
            guard let data = Data(base64Encoded: configured.value.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
                throw ConfigurationError.invalid("MEDVAULT_IDENTIFIER_KEY must be the base64 encoding of exactly 32 bytes")
            }
            return IdentifierHasher(key: SymmetricKey(data: data))
        }
        return IdentifierHasher(key: try StorageKeyProvider.loadOrCreateKeyFile(at: dataDirectory.appendingPathComponent(keyFileName)))
    }

    /// `hmac:` and 32 lowercase hex digits for `text` as typed (after the normalisation e-mails get, so that
    /// `Ann@x` and `ann@x ` are one identifier).
    package func hash(_ text: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(UserRecord.normalizedEmail(text).utf8), using: key)
        return "hmac:" + mac.prefix(Self.keptBytes).map { String(format: "%02x", $0) }.joined()
    }
}
