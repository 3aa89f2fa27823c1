/// Why a pre-signed URL was refused by `PresignedURLVerifier`.
///
/// A struct around a private `Code` (cases can grow without breaking callers). `code` is a stable snake_case string
/// the server puts in its JSON error (`{"error":{"code":"expired",…}}`); `message` names the offending parameter
/// but never echoes a value from the request (paths and query values may carry patient data). Equality compares
/// the code only, so callers can match on the static members.
package struct SigV4VerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case missingParameter = "missing_parameter"
        case malformed = "malformed"
        case expired = "expired"
        case notYetValid = "not_yet_valid"
        case expiryTooLong = "expiry_too_long"
        case unknownAccessKey = "unknown_access_key"
        case wrongScope = "wrong_scope"
        case signatureMismatch = "signature_mismatch"
    }

    private let errorCode: Code
    /// A human-readable explanation, safe to return to the client.
    package let message: String

    private init(_ code: Code, _ message: String) {
        self.errorCode = code
        self.message = message
    }

    /// The stable machine-readable code, e.g. `"expired"` or `"signature_mismatch"`.
    package var code: String { self.errorCode.rawValue }

    /// The message.
    package var description: String { self.message }

    /// Equal when the codes are.
    package static func == (lhs: SigV4VerificationError, rhs: SigV4VerificationError) -> Bool { lhs.errorCode == rhs.errorCode }

    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) { hasher.combine(self.errorCode) }

    /// A required `X-Amz-*` query parameter is absent.
    package static let missingParameter = Self(.missingParameter, "a required X-Amz-* query parameter is missing")
    /// A parameter, the path or a signed header cannot be parsed (bad escape, date, algorithm, credential, …).
    package static let malformed = Self(.malformed, "the pre-signed URL is malformed")
    /// `now` is past `X-Amz-Date + X-Amz-Expires`.
    package static let expired = Self(.expired, "the pre-signed URL has expired")
    /// `X-Amz-Date` is more than 15 minutes in the future (beyond the allowed clock skew).
    package static let notYetValid = Self(.notYetValid, "the pre-signed URL is not valid yet")
    /// `X-Amz-Expires` is more than 604800 seconds (7 days), which S3 never accepts.
    package static let expiryTooLong = Self(.expiryTooLong, "X-Amz-Expires must not exceed 604800 seconds")
    /// The access key ID of `X-Amz-Credential` is not known.
    package static let unknownAccessKey = Self(.unknownAccessKey, "the access key is not known")
    /// The credential scope's date, region or service is not the expected one.
    package static let wrongScope = Self(.wrongScope, "the credential scope does not match")
    /// The recomputed signature differs: the path, query, a signed header or the signature was altered.
    package static let signatureMismatch = Self(.signatureMismatch, "the signature does not match")

    /// The same error with a more specific message (the code, and so equality, is unchanged).
    func with(message: String) -> Self { Self(self.errorCode, message) }
}
