import Foundation
import Synchronization

/// The `alg` and `kid` of a JWT's header, remembered per header text.
///
/// Every API request carries a bearer token, and reading its header meant decoding base64url and parsing JSON
/// with `JSONSerialization` before any key is chosen: about 3% of a pre-sign's CPU time. A deployment sees only a
/// few distinct headers (medvault's own HS256 header, and one per identity-provider key id), so the first
/// ``capacity`` texts seen are kept; any further ones are parsed each time.
final class TokenHeaderCache: Sendable {
    /// What medvault reads from a token's header before choosing a key.
    struct Header: Sendable, Equatable {
        /// `alg`, when it is a string.
        var algorithm: String?
        /// `kid`, when it is a string: which of an identity provider's keys signed the token.
        var keyID: String?
    }

    /// The most header texts kept.
    static let capacity = 16

    /// Keyed by the header's own text (a copy, so that no token, which is a credential, is kept).
    private let known = Mutex<[String: Header]>([:])

    /// The header of `token`; both fields nil when it is not base64url JSON.
    func header(of token: String) -> Header {
        let text = String(token.prefix { $0 != "." })
        if let header = known.withLock({ $0[text] }) { return header }
        let header = Self.parse(text)
        known.withLock { known in
            if known.count < Self.capacity { known[text] = header }
        }
        return header
    }

    private static func parse(_ text: String) -> Header {
        guard let data = Data(base64URLEncoded: text),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return Header() }
        return Header(algorithm: object["alg"] as? String, keyID: object["kid"] as? String)
    }
}
