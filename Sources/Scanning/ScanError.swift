/// Why a scan reached no verdict. Every case means the same to an upload: the bytes were not proven clean, so they
/// are refused (fail closed); the cases differ for the operator who reads the log.
///
/// Shaped like async-http-client's errors: a struct around a private `Code`, so that cases can grow without breaking
/// callers. ``code`` is stable and safe to log; ``message`` is safe to show; ``underlying`` is for the server's log.
/// - important: neither ``message`` nor ``code`` carries file contents, names or signature names.
package struct ScanError: Error, Hashable, CustomStringConvertible {
    /// Internal so that the module can tell the cases apart (``ScanCoverage``); callers outside use ``code``.
    enum Code: String, Sendable {
        case unreachable = "clamd_unreachable"
        case connectionLost = "clamd_connection_lost"
        case timedOut = "clamd_timeout"
        case streamTooLong = "clamd_stream_limit"
        case scanLimitExceeded = "clamd_scan_limit"
        case scannerError = "clamd_error"
        case malformedReply = "clamd_malformed_reply"
    }

    let base: Code

    /// The stable code: `clamd_unreachable`, `clamd_connection_lost`, `clamd_timeout`, `clamd_stream_limit`,
    /// `clamd_scan_limit`, `clamd_error` or `clamd_malformed_reply`.
    package var code: String { base.rawValue }

    /// A sentence for operators and clients: what went wrong with the scanner, never what was scanned.
    package let message: String

    /// The cause (a socket error, clamd's own words for an `ERROR` answer) for the server's log only.
    package let underlying: String?

    private init(_ base: Code, _ message: String, underlying: String? = nil) {
        self.base = base
        self.message = message
        self.underlying = underlying
    }

    /// No connection could be made: nothing listens at the address, or the connection attempt timed out.
    package static func unreachable(_ cause: String) -> ScanError {
        ScanError(.unreachable, "clamd could not be reached.", underlying: cause)
    }

    /// The connection failed or was closed before clamd answered.
    package static func connectionLost(_ cause: String) -> ScanError {
        ScanError(.connectionLost, "clamd closed the connection before it answered.", underlying: cause)
    }

    /// clamd accepted no bytes, or gave no answer, within the deadline.
    package static let timedOut = ScanError(.timedOut, "clamd did not answer in time.")

    /// clamd refused the stream as longer than its `StreamMaxLength` (`INSTREAM size limit exceeded`).
    package static let streamTooLong = ScanError(
        .streamTooLong,
        "clamd refused the stream as longer than its StreamMaxLength."
    )

    /// clamd stopped short of scanning everything because a limit (`MaxFileSize`, `MaxScanSize`, `MaxRecursion`, …)
    /// was exceeded, and said so because `AlertExceedsMax` is on (a `Heuristics.Limits.Exceeded.*` name).
    package static func scanLimitExceeded(_ limit: String) -> ScanError {
        ScanError(.scanLimitExceeded, "clamd could not scan everything: one of its limits was exceeded.", underlying: limit)
    }

    /// clamd answered with an `ERROR` (it could not write its temporary file, ran out of memory, …).
    package static func scannerError(_ answer: String) -> ScanError {
        ScanError(.scannerError, "clamd reported an error.", underlying: answer)
    }

    /// clamd's answer did not have any of the forms clamd(8) documents.
    package static func malformedReply(_ why: String) -> ScanError {
        ScanError(.malformedReply, "clamd's answer could not be understood.", underlying: why)
    }

    /// The code, the message and the cause: all safe for the server's log.
    package var description: String {
        underlying.map { "\(code): \(message) (\($0))" } ?? "\(code): \(message)"
    }
}
