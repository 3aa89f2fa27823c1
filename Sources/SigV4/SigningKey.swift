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

    /// The length of a signature in hex: 64 digits.
    static let signatureHexCount = 2 * SHA256.byteCount

    /// Stage 4 — "Calculate the signature": `hex(HMAC-SHA256(signingKey, stringToSign))`, appended as 64 lowercase
    /// hex digits.
    func appendSignature(of stringToSign: [UInt8], to output: inout [UInt8]) {
        self.authenticationCode(for: stringToSign).withUnsafeBytes { URIEncoding.appendLowerHex($0, to: &output) }
    }

    /// Stage 4, written into the first `signatureHexCount` bytes of `output` (the end of a pre-signed URL, which is
    /// built in place).
    func writeSignature(of stringToSign: [UInt8], to output: UnsafeMutableBufferPointer<UInt8>) {
        self.authenticationCode(for: stringToSign).withUnsafeBytes { URIEncoding.writeLowerHex($0, to: output) }
    }

    private func authenticationCode(for stringToSign: [UInt8]) -> HashedAuthenticationCode<SHA256> {
        var mac = self.keyedMAC
        mac.update(data: stringToSign)
        return mac.finalize()
    }

    /// The key bytes in hex, for comparing with AWS's published derivation examples in tests.
    var hexKey: String {
        var output: [UInt8] = []
        self.key.withUnsafeBytes { URIEncoding.appendLowerHex($0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}
