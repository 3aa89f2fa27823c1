import Crypto

/// A derived SigV4 signing key for one (access key, day, region, service), ready to sign strings to sign.
///
/// It keeps an `HMAC<SHA256>` already keyed with it (the inner and outer pads absorbed), so each signature costs
/// only the hashing of the string to sign. A class so the cache can hand out the same instance (tests check it).
package final class SigningKey: Sendable {
    /// The day (`YYYYMMDD`) the key is scoped to.
    package let dateStamp: String
    let key: SymmetricKey
    private let keyedMAC: HMAC<SHA256>

    init(key: SymmetricKey, dateStamp: String) {
        self.key = key
        self.dateStamp = dateStamp
        self.keyedMAC = HMAC<SHA256>(key: key)
    }

    /// Stage 4 — "Calculate the signature": `hex(HMAC-SHA256(signingKey, stringToSign))`, appended as 64 lowercase
    /// hex digits.
    func appendSignature(of stringToSign: [UInt8], to output: inout [UInt8]) {
        var mac = self.keyedMAC
        mac.update(data: stringToSign)
        mac.finalize().withUnsafeBytes { URIEncoding.appendLowerHex($0, to: &output) }
    }

    /// The key bytes in hex, for comparing with AWS's published derivation examples in tests.
    var hexKey: String {
        var output: [UInt8] = []
        self.key.withUnsafeBytes { URIEncoding.appendLowerHex($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}
