import Audit
import HTTPTypes
import Scanning

extension APIError {
    /// How long a client should wait before sending an upload again that could not be scanned: clamd restarts, or
    /// reloads its signatures, within about that.
    static let scannerRetryAfter = 30

    /// The upload could not be scanned (clamd down, too slow, refusing the stream, or answering nonsense): it was not
    /// stored, because nothing unscanned is (fail closed). ``ScanError`` carries the reason, for the log.
    package static let scannerUnavailable = APIError(
        .serviceUnavailable,
        code: "scanner_unavailable",
        message: "The malware scanner could not check this file, so it was not stored; try again shortly.",
        headers: [.retryAfter: String(scannerRetryAfter)]
    )

    /// clamd found malware in a file of the upload; nothing of the upload was stored.
    package static let malwareDetected = APIError(
        .unprocessableContent,
        code: ScanAudit.malwareCode,
        message: "The malware scanner found malware in a file of this upload; nothing was stored."
    )
}
