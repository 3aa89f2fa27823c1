import Crypto
import Foundation
import SigV4
import _CryptoExtras

/// Signs CloudFront URLs with a canned policy ("Creating a signed URL using a canned policy", CloudFront Developer
/// Guide): the policy `{"Statement":[{"Resource":URL,"Condition":{"DateLessThan":{"AWS:EpochTime":EXPIRES}}}]}`
/// without whitespace, signed with RSA-SHA1 (PKCS #1 v1.5) by the key pair's private key, and appended to the URL as
/// `Expires`, `Signature` and `Key-Pair-Id`, the signature in CloudFront's URL-safe base64.
///
/// A pure function of its inputs (the expiry is given), so tests compare it byte for byte with botocore's
/// `CloudFrontSigner` (Tests/ObjectStorageTests/Fixtures/cloudfront, made by scripts/make_cloudfront_fixtures.py).
package struct CloudFrontSigner: Sendable {
    /// The CloudFront key pair id (or public key id) that names the key to CloudFront.
    package let keyPairID: String
    let key: _RSA.Signing.PrivateKey

    /// Loads the private key from PEM (PKCS #1 or PKCS #8), refusing keys under 2048 bits.
    package init(keyPairID: String, privateKeyPEM: String) throws(CloudFrontSignerError) {
        guard !keyPairID.isEmpty, keyPairID.utf8.allSatisfy({ $0.isASCIIAlphanumeric }) else {
            throw .invalidKey("The CloudFront key pair id must be letters and digits.")
        }
        do {
            self.key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw .invalidKey("The CloudFront private key is not a PEM RSA private key of at least 2048 bits.")
        }
        self.keyPairID = keyPairID
    }

    /// `base` (the distribution's URL, without a trailing `/`) and `objectKey` as CloudFront expects the path: every
    /// byte but RFC 3986's unreserved characters and `/` percent-encoded, as the S3 origin names the object.
    package static func resourceURL(base: String, objectKey: String) -> String {
        "\(base)/\(URIEncoding.encoded(objectKey, keepSlash: true))"
    }

    /// The signed URL for `resource` (a full URL, already percent-encoded), valid until `expires` (seconds since 1970).
    package func signedURL(resource: String, expires: Int64) throws(CloudFrontSignerError) -> String {
        let policy = try Self.cannedPolicy(resource: resource, expires: expires)
        let signature: _RSA.Signing.RSASignature
        do {
            signature = try key.signature(for: Insecure.SHA1.hash(data: Data(policy.utf8)), padding: .insecurePKCS1v1_5)
        } catch {
            throw .signingFailed
        }
        let separator = resource.contains("?") ? "&" : "?"
        return "\(resource)\(separator)Expires=\(expires)&Signature=\(Self.urlSafeBase64(signature.rawRepresentation))&Key-Pair-Id=\(keyPairID)"
    }

    /// The canned policy statement, byte for byte as CloudFront recomputes it. The resource is refused unless it is
    /// printable ASCII without `"` or `\`, so it needs no JSON escaping.
    static func cannedPolicy(resource: String, expires: Int64) throws(CloudFrontSignerError) -> String {
        guard !resource.isEmpty, resource.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") })
        else {
            throw .invalidResource
        }
        return #"{"Statement":[{"Resource":"\#(resource)","Condition":{"DateLessThan":{"AWS:EpochTime":\#(expires)}}}]}"#
    }

    /// Base64 with CloudFront's substitutions: `+` → `-`, `=` → `_`, `/` → `~`.
    static func urlSafeBase64(_ data: Data) -> String {
        String(
            data.base64EncodedString().map { character in
                switch character {
                case "+": "-"
                case "=": "_"
                case "/": "~"
                default: character
                }
            }
        )
    }
}

extension UInt8 {
    /// `A-Z`, `a-z`, `0-9`.
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
