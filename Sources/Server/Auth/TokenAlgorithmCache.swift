import Foundation
import Synchronization

/// The `alg` of a JWT's header, remembered per header text.
///
/// Every API request carries a bearer token, and reading `alg` meant decoding base64url and parsing JSON with
/// `JSONSerialization` before any key is chosen: about 3% of a pre-sign's CPU time. A deployment sees only a few
/// distinct headers (medvault's own HS256 header, and one per identity-provider key id), so the first
/// ``capacity`` texts seen are kept; any further ones are parsed each time.
final class TokenAlgorithmCache: Sendable {
    /// The most header texts kept.
    static let capacity = 16

    /// Keyed by the header's own text (a copy, so that no token, which is a credential, is kept).
    private let known = Mutex<[String: String?]>([:])

    /// The `alg` of `token`'s header; nil when the header is not base64url JSON with a string `alg`.
    func algorithm(of token: String) -> String? {
        let header = String(token.prefix { $0 != "." })
        if let algorithm = known.withLock({ $0[header] }) { return algorithm }
        let algorithm = Self.parseAlgorithm(header)
        known.withLock { known in
            if known.count < Self.capacity { known[header] = algorithm }
        }
        return algorithm
    }

    private static func parseAlgorithm(_ header: String) -> String? {
        guard let data = Data(base64URLEncoded: header),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["alg"] as? String
    }
}
