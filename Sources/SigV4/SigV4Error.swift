/// Why a signing input was rejected before anything was signed.
///
/// Shaped like async-http-client's errors: a struct around a private `Code`, so new cases can be added without
/// breaking callers. Equality compares the code only; `message` says which input was wrong and never contains a
/// secret, an object key or a header value (they may carry patient data).
public struct SigV4Error: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case invalidCredentials = "invalid_credentials"
        case invalidScope = "invalid_scope"
        case invalidMethod = "invalid_method"
        case invalidHost = "invalid_host"
        case invalidHeader = "invalid_header"
        case invalidQueryParameter = "invalid_query_parameter"
        case invalidPayloadHash = "invalid_payload_hash"
        case invalidExpiry = "invalid_expiry"
        case invalidDate = "invalid_date"
        case invalidEndpoint = "invalid_endpoint"
        case invalidBucket = "invalid_bucket"
    }

    private let errorCode: Code
    /// A human-readable explanation, safe to print on a terminal or in a log.
    package let message: String

    private init(_ code: Code, _ message: String) {
        self.errorCode = code
        self.message = message
    }

    /// A stable machine-readable code (snake_case, like the API's error codes).
    package var code: String { self.errorCode.rawValue }

    /// The message, so `"\(error)"` reads well in a CLI.
    public var description: String { self.message }

    /// Two errors are equal when their codes are, so tests and callers can match on the static members.
    public static func == (lhs: SigV4Error, rhs: SigV4Error) -> Bool { lhs.errorCode == rhs.errorCode }

    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(self.errorCode) }

    /// The access key ID is empty or contains `/`, or a credential is missing (it would corrupt the credential scope).
    package static let invalidCredentials = SigV4Error(.invalidCredentials, "invalid credentials")
    /// The region or service is empty or contains a character that cannot appear in a credential scope.
    package static let invalidScope = SigV4Error(.invalidScope, "invalid region or service")
    /// The HTTP method is not an RFC 9110 token (or, for the CLI, not one S3 accepts).
    package static let invalidMethod = SigV4Error(.invalidMethod, "invalid HTTP method")
    /// The host is empty or contains characters that cannot appear in a Host header.
    package static let invalidHost = SigV4Error(.invalidHost, "invalid host")
    /// A header name is not a token, or names a header the signer sets itself.
    package static let invalidHeader = SigV4Error(.invalidHeader, "invalid header")
    /// A query parameter is malformed or uses a name reserved for the signature.
    package static let invalidQueryParameter = SigV4Error(.invalidQueryParameter, "invalid query parameter")
    /// The payload hash is not 64 hex digits.
    package static let invalidPayloadHash = SigV4Error(.invalidPayloadHash, "invalid payload hash")
    /// `X-Amz-Expires` must be 1...604800 seconds (7 days), as S3 enforces.
    package static let invalidExpiry = SigV4Error(.invalidExpiry, "expiry must be between 1 and 604800 seconds")
    /// The date is not `YYYYMMDDTHHMMSSZ`, or lies outside the years 1970...9999.
    package static let invalidDate = SigV4Error(.invalidDate, "invalid date")
    /// The S3 endpoint is not `http(s)://host[:port]`.
    package static let invalidEndpoint = SigV4Error(.invalidEndpoint, "invalid endpoint")
    /// The bucket name cannot be used with the chosen addressing style.
    package static let invalidBucket = SigV4Error(.invalidBucket, "invalid bucket name")

    /// The same error with a more specific message (the code, and so equality, is unchanged).
    func with(message: String) -> SigV4Error { SigV4Error(self.errorCode, message) }
}
