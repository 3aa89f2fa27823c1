import Logging

/// Why one attempt of an S3 call failed; ``S3Client`` decides from it whether to retry and which `StorageError` to
/// report.
enum S3AttemptFailure: Error, Sendable {
    /// S3 answered with an error status, or with an `<Error>` inside a 200.
    case service(S3ServiceError)
    /// No answer: connection refused or lost, a timeout, cancellation.
    case transport(S3TransportError)
    /// An answer medvault cannot use (malformed XML, a missing header); `message` is safe for clients.
    case unexpected(String, underlying: (any Error)?)

    /// Whether another attempt might succeed: throttling, a server error, a network failure (but not a failure to
    /// connect at all, which the HTTP client has already retried).
    var isTransient: Bool {
        switch self {
        case .service(let error): error.category == .transient
        case .transport(let error): error.kind == .network
        case .unexpected: false
        }
    }

    /// The server's `Retry-After`, honoured as the least pause before the next attempt.
    var retryAfter: Duration? {
        guard case .service(let error) = self, let seconds = error.retryAfterSeconds else { return nil }
        return .seconds(seconds)
    }

    /// The `StorageError` reported when this was the last attempt.
    var storageError: StorageError {
        switch self {
        case .service(let error):
            error.storageError
        case .transport(let error):
            switch error.kind {
            case .network, .connect: .unavailable(retryAfter: S3Client.defaultRetryAfterSeconds, underlying: error)
            case .cancelled: .failure("The storage operation was cancelled.", underlying: error)
            case .invalidRequest: .failure("The storage request could not be sent.", underlying: error)
            }
        case .unexpected(let message, let underlying):
            .failure(message, underlying: underlying)
        }
    }

    /// Log metadata: the call, status, S3 code and request id, or the transport error. Never a key or a URL.
    func metadata(_ operation: String) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["s3.operation": "\(operation)"]
        switch self {
        case .service(let error):
            metadata["s3.status"] = "\(error.status)"
            metadata["s3.code"] = "\(error.code ?? "none")"
            if let requestID = error.requestID { metadata["s3.request_id"] = "\(requestID)" }
        case .transport(let error):
            metadata["s3.transport_error"] = "\(String(describing: error.underlying))"
        case .unexpected(let message, let underlying):
            metadata["s3.unexpected"] = "\(message)"
            if let underlying { metadata["s3.underlying"] = "\(String(describing: underlying))" }
        }
        return metadata
    }
}
