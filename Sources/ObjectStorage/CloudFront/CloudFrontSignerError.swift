/// Why a CloudFront signer could not be made or could not sign.
package struct CloudFrontSignerError: Error, CustomStringConvertible, Equatable {
    private enum Code: String, Sendable {
        case invalidKey = "cloudfront_invalid_key"
        case invalidResource = "cloudfront_invalid_resource"
        case signingFailed = "cloudfront_signing_failed"
    }

    private let base: Code
    /// A sentence without key material or the URL.
    package let message: String

    /// The stable code: `cloudfront_invalid_key`, `cloudfront_invalid_resource` or `cloudfront_signing_failed`.
    package var code: String { base.rawValue }
    package var description: String { "\(code): \(message)" }

    /// The private key is not a PEM RSA key of at least 2048 bits, or the key pair id is empty.
    package static func invalidKey(_ message: String) -> Self { Self(base: .invalidKey, message: message) }
    /// The resource URL is not printable ASCII (it must be percent-encoded) or contains `"` or `\`.
    package static let invalidResource = Self(
        base: .invalidResource,
        message: "A CloudFront resource URL must be percent-encoded printable ASCII without quotes or backslashes."
    )
    /// The RSA signature could not be computed.
    package static let signingFailed = Self(base: .signingFailed, message: "The CloudFront URL could not be signed.")
}
