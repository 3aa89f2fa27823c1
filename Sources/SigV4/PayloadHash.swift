import Crypto
import Foundation

/// The last line of the canonical request: the hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
///
/// S3 also sends it as `x-amz-content-sha256` ("Create a canonical request", SigV4 docs; S3's
/// "Authenticating requests" guide). Streaming (`STREAMING-…`) payloads are not supported.
package struct PayloadHash: Sendable, Hashable, CustomStringConvertible {
    /// The exact text that goes into the canonical request.
    package let value: String

    private init(value: String) {
        self.value = value
    }

    /// `UNSIGNED-PAYLOAD`: the body is not covered by the signature (the norm for pre-signed S3 URLs).
    package static let unsigned = PayloadHash(value: "UNSIGNED-PAYLOAD")
    /// The SHA-256 of an empty body, for GET/HEAD/DELETE requests that sign their (absent) payload.
    package static let emptyBody = PayloadHash(value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    /// A precomputed SHA-256 in hex (e.g. computed while streaming an upload); any case, stored lowercase.
    package static func sha256(hex: String) throws(SigV4Error) -> PayloadHash {
        let bytes = Array(hex.utf8)
        guard bytes.count == 64, bytes.allSatisfy({ URIEncoding.hexValue($0) != nil }) else {
            throw SigV4Error.invalidPayloadHash.with(message: "a payload hash must be 64 hex digits")
        }
        return PayloadHash(value: hex.lowercased())
    }

    /// Hashes a body that is already in memory.
    package static func sha256(of body: some DataProtocol) -> PayloadHash {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        SHA256.hash(data: body).withUnsafeBytes { URIEncoding.appendLowerHex($0, to: &hex) }
        return PayloadHash(value: String(decoding: hex, as: UTF8.self))
    }

    /// The value, as it appears in the canonical request.
    package var description: String { self.value }
}
