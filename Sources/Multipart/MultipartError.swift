/// Why a multipart/form-data body was rejected.
///
/// Shaped like async-http-client's errors: a struct around a private `Code`, so new reasons can be added without
/// breaking callers who switch on ``code``. The ``message`` never quotes header values, file names or body bytes,
/// so it is safe to put into a client-facing error response.
package struct MultipartError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case malformed = "malformed_multipart"
        case limitExceeded = "multipart_limit_exceeded"
    }

    /// The ``code`` of a body that does not follow RFC 7578 / RFC 2046 (bad boundary line, missing or bad
    /// part headers, truncated body); the web layer answers 400.
    package static let malformedCode = Code.malformed.rawValue
    /// The ``code`` of a body that exceeds a ``MultipartLimits`` value; the web layer answers 413.
    package static let limitExceededCode = Code.limitExceeded.rawValue

    private let base: Code
    /// A human-readable reason that contains no user-supplied data, so it can be shown to the client as is.
    package let message: String

    /// A stable machine-readable code for API error bodies: ``malformedCode`` or ``limitExceededCode``.
    package var code: String { base.rawValue }

    /// Shows the code and the message; both are free of user data.
    package var description: String { "\(code): \(message)" }

    private init(_ base: Code, _ message: String) {
        self.base = base
        self.message = message
    }

    static func malformed(_ message: String) -> MultipartError { MultipartError(.malformed, message) }

    static func limitExceeded(_ message: String) -> MultipartError { MultipartError(.limitExceeded, message) }
}
