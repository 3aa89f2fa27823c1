/// An error answer from S3: which call, the HTTP status, and S3's error `Code` when the body carried one
/// ("Error responses", S3 API reference). Kept as a `StorageError`'s `underlying` for the server's log.
///
/// Holds no `Message`, `Key` or `Resource` from the body: they can name the object (and so a patient id), and
/// strict servers echo the canonical request there.
struct S3ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The S3 API call, e.g. `PutObject`.
    let operation: String
    /// The HTTP status (200 for an error inside a 200 answer to CompleteMultipartUpload or CopyObject).
    let status: Int
    /// S3's error code (`NoSuchKey`, `SlowDown`, …); nil when the body had none (HEAD, a proxy's page).
    let code: String?
    /// `x-amz-request-id` or the body's `RequestId`, for AWS support.
    let requestID: String?
    /// The server's `Retry-After`, in seconds, if it sent one.
    let retryAfterSeconds: Int?

    var description: String {
        "S3 \(self.operation) answered \(self.status) \(self.code ?? "(no code)")"
            + (self.requestID.map { " (request id \($0))" } ?? "")
    }

    /// How a failed call is reported and whether it may be retried.
    enum Category: Sendable, Equatable {
        /// The object (or upload) does not exist: `not_found`.
        case notFound
        /// Credentials, signature, clock or permissions: `storage_denied`, a configuration problem.
        case denied
        /// Throttling, a server error, a timeout on S3's side: `storage_unavailable`, retried when idempotent.
        case transient
        /// The configured bucket does not exist: `storage_failure`, a configuration problem.
        case missingBucket
        /// The byte range lies outside the object (416): `storage_failure`; callers validate ranges first.
        case invalidRange
        /// Anything else S3 refused (400 InvalidArgument, EntityTooSmall, InvalidPart, KMS errors…).
        case rejected
    }

    /// S3's codes for a missing object or upload.
    static let notFoundCodes: Set<String> = ["NoSuchKey", "NoSuchUpload", "NoSuchVersion", "NotFound"]
    /// Codes about who is calling, not what was asked: a 403 by any other name.
    static let deniedCodes: Set<String> = [
        "AccessDenied", "SignatureDoesNotMatch", "InvalidAccessKeyId", "RequestTimeTooSkewed", "ExpiredToken", "InvalidToken",
        "TokenRefreshRequired", "AccountProblem", "AllAccessDisabled", "InvalidSecurity", "MissingSecurityHeader",
        "AuthorizationHeaderMalformed", "KMS.AccessDeniedException",
    ]
    /// Codes the AWS SDKs retry ("Error retries", AWS SDKs and Tools reference guide).
    static let transientCodes: Set<String> = [
        "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "RequestTimeoutException", "Throttling",
        "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "EC2ThrottledException", "PriorRequestNotComplete", "OperationAborted",
        "KMS.ThrottlingException",
    ]

    /// The category, from the code when S3 sent one and from the status otherwise.
    var category: Category {
        if let code {
            if code == "NoSuchBucket" { return .missingBucket }
            if Self.notFoundCodes.contains(code) { return .notFound }
            if Self.deniedCodes.contains(code) { return .denied }
            if Self.transientCodes.contains(code) { return .transient }
            if code == "InvalidRange" { return .invalidRange }
        }
        switch self.status {
        case 404: return .notFound
        case 401, 403: return .denied
        case 408, 429, 500...599: return .transient
        case 416: return .invalidRange
        default: return .rejected
        }
    }

    /// What the caller sees: a `StorageError` whose message is safe for clients and whose `underlying` is this.
    var storageError: StorageError {
        switch self.category {
        case .notFound:
            .notFound(underlying: self)
        case .denied:
            .denied(underlying: self)
        case .transient:
            .unavailable(retryAfter: self.retryAfterSeconds ?? S3Client.defaultRetryAfterSeconds, underlying: self)
        case .missingBucket:
            .failure("The configured storage bucket does not exist.", underlying: self)
        case .invalidRange:
            .failure("The requested range lies outside the object.", underlying: self)
        case .rejected:
            .failure("The storage backend rejected the request.", underlying: self)
        }
    }
}
