import AsyncHTTPClient
import Logging
import NIOCore
import Testing

@testable import ObjectStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ObjectStorageTests {
    @Suite("S3 error mapping")
    struct S3ErrorMappingTests {
        static func code(status: Int, _ s3Code: String?, retryAfter: Int? = nil) -> (code: String, retryAfter: Int?) {
            let error = S3ServiceError(operation: "GetObject", status: status, code: s3Code, requestID: nil, retryAfterSeconds: retryAfter)
                .storageError
            return (error.code, error.retryAfter)
        }

        @Test(
            "S3 codes and statuses map to StorageError codes",
            arguments: [
                (404, "NoSuchKey", "not_found"),
                (404, nil, "not_found"),
                (404, "NoSuchUpload", "not_found"),
                (404, "NoSuchBucket", "storage_failure"),
                (403, "AccessDenied", "storage_denied"),
                (403, "SignatureDoesNotMatch", "storage_denied"),
                (403, "InvalidAccessKeyId", "storage_denied"),
                (403, "RequestTimeTooSkewed", "storage_denied"),
                (400, "ExpiredToken", "storage_denied"),
                (403, nil, "storage_denied"),
                (503, "SlowDown", "storage_unavailable"),
                (503, nil, "storage_unavailable"),
                (500, "InternalError", "storage_unavailable"),
                (400, "RequestTimeout", "storage_unavailable"),
                (429, nil, "storage_unavailable"),
                (200, "InternalError", "storage_unavailable"),
                (416, "InvalidRange", "storage_failure"),
                (400, "InvalidArgument", "storage_failure"),
                (400, "EntityTooSmall", "storage_failure"),
                (409, nil, "storage_failure"),
            ]
        )
        func serviceErrors(status: Int, s3Code: String?, expected: String) {
            #expect(Self.code(status: status, s3Code).code == expected)
        }

        @Test("unavailable carries the server's Retry-After, else 5 seconds")
        func retryAfter() {
            #expect(Self.code(status: 503, "SlowDown", retryAfter: 12).retryAfter == 12)
            #expect(Self.code(status: 503, "SlowDown").retryAfter == 5)
            #expect(Self.code(status: 403, "AccessDenied").retryAfter == nil)
        }

        @Test("only throttling, server errors and network failures are transient")
        func transience() {
            let slowDown = S3AttemptFailure.service(
                S3ServiceError(operation: "PutObject", status: 503, code: "SlowDown", requestID: nil, retryAfterSeconds: 3)
            )
            #expect(slowDown.isTransient)
            #expect(slowDown.retryAfter == .seconds(3))
            #expect(
                !S3AttemptFailure.service(
                    S3ServiceError(operation: "PutObject", status: 403, code: "AccessDenied", requestID: nil, retryAfterSeconds: nil)
                ).isTransient
            )
            #expect(S3AttemptFailure.transport(S3TransportError(kind: .network, underlying: FakeS3.FakeNetworkError())).isTransient)
            #expect(!S3AttemptFailure.transport(S3TransportError(kind: .cancelled, underlying: CancellationError())).isTransient)
            #expect(!S3AttemptFailure.unexpected("x", underlying: nil).isTransient)
            #expect(!S3AttemptFailure.transport(S3TransportError(kind: .connect, underlying: FakeS3.FakeNetworkError())).isTransient)
            #expect(
                S3AttemptFailure.transport(S3TransportError(kind: .connect, underlying: FakeS3.FakeNetworkError())).storageError.code
                    == "storage_unavailable"
            )
            #expect(
                S3AttemptFailure.transport(S3TransportError(kind: .network, underlying: FakeS3.FakeNetworkError())).storageError.code
                    == "storage_unavailable"
            )
            #expect(
                S3AttemptFailure.transport(S3TransportError(kind: .cancelled, underlying: CancellationError())).storageError.code == "storage_failure"
            )
        }

        @Test("async-http-client errors: cancellation, request errors and network errors are told apart")
        func transportKinds() {
            #expect(S3HTTPClientTransport.kind(of: HTTPClientError.cancelled) == .cancelled)
            #expect(S3HTTPClientTransport.kind(of: CancellationError()) == .cancelled)
            #expect(S3HTTPClientTransport.kind(of: HTTPClientError.invalidURL) == .invalidRequest)
            #expect(S3HTTPClientTransport.kind(of: HTTPClientError.alreadyShutdown) == .invalidRequest)
            #expect(S3HTTPClientTransport.kind(of: HTTPClientError.connectTimeout) == .connect)
            #expect(S3HTTPClientTransport.kind(of: IOError(errnoCode: ECONNREFUSED, reason: "connect")) == .connect)
            #expect(S3HTTPClientTransport.kind(of: ChannelError.connectTimeout(.seconds(1))) == .connect)
            #expect(S3HTTPClientTransport.kind(of: HTTPClientError.readTimeout) == .network)
            #expect(S3HTTPClientTransport.kind(of: HTTPClientError.deadlineExceeded) == .network)
            #expect(S3HTTPClientTransport.kind(of: HTTPClientError.remoteConnectionClosed) == .network)
            #expect(S3HTTPClientTransport.kind(of: FakeS3.FakeNetworkError()) == .network)
        }

        @Test("error descriptions and log metadata name the call and code, never the key")
        func noKeysInErrors() {
            let error = S3ServiceError(operation: "GetObject", status: 404, code: "NoSuchKey", requestID: "R1", retryAfterSeconds: nil)
            #expect(error.description == "S3 GetObject answered 404 NoSuchKey (request id R1)")
            let metadata = S3AttemptFailure.service(error).metadata("GetObject")
            #expect(metadata["s3.code"] == "NoSuchKey")
            #expect(metadata["s3.status"] == "404")
            #expect(error.storageError.message == "The object does not exist.")
        }
    }

    @Suite("S3 retry policy")
    struct S3RetryPolicyTests {
        let policy = S3RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300))

        @Test("pauses double per failure, are capped, and the jitter spans the upper half of the ceiling")
        func delays() {
            #expect(self.policy.delay(afterFailedAttempts: 1, random: 0) == .milliseconds(50))
            #expect(self.policy.delay(afterFailedAttempts: 1, random: 0.5) == .milliseconds(75))
            #expect(self.policy.delay(afterFailedAttempts: 2, random: 0) == .milliseconds(100))
            #expect(self.policy.delay(afterFailedAttempts: 2, random: 1) == .milliseconds(200))
            #expect(self.policy.delay(afterFailedAttempts: 3, random: 1) == .milliseconds(300))
            #expect(self.policy.delay(afterFailedAttempts: 60, random: 1) == .milliseconds(300))
            #expect(self.policy.delay(afterFailedAttempts: 1, random: 7) == .milliseconds(100))
        }

        @Test("a retry needs a transient failure, an idempotent call, attempts left and time before the deadline")
        func decisions() {
            func next(
                _ failed: Int,
                transient: Bool = true,
                idempotent: Bool = true,
                remaining: Duration = .seconds(10),
                retryAfter: Duration? = nil
            ) -> Duration? {
                self.policy.nextDelay(
                    afterFailedAttempts: failed,
                    isTransient: transient,
                    isIdempotent: idempotent,
                    remaining: remaining,
                    retryAfter: retryAfter,
                    random: 0.5
                )
            }
            #expect(next(1) == .milliseconds(75))
            #expect(next(3) == .milliseconds(225))
            #expect(next(4) == nil)
            #expect(next(1, transient: false) == nil)
            #expect(next(1, idempotent: false) == nil)
            #expect(next(1, remaining: .milliseconds(100)) == nil)
            #expect(next(1, retryAfter: .seconds(2)) == .seconds(2))
            #expect(next(1, remaining: .seconds(3), retryAfter: .seconds(2)) == nil)
            #expect(
                S3RetryPolicy.none.nextDelay(
                    afterFailedAttempts: 1,
                    isTransient: true,
                    isIdempotent: true,
                    remaining: .seconds(10),
                    retryAfter: nil,
                    random: 0
                ) == nil
            )
        }

        @Test("invalid policies and timeouts are refused by the configuration")
        func validation() {
            var configuration = S3Fixture.configuration(partSize: 8 * 1024 * 1024)
            #expect(throws: Never.self) { try configuration.validate() }
            configuration.retryPolicy = S3RetryPolicy(maxAttempts: 0)
            #expect(throws: StorageError.self) { try configuration.validate() }
            configuration.retryPolicy = S3RetryPolicy()
            configuration.timeouts = S3Timeouts(request: .zero)
            #expect(throws: StorageError.self) { try configuration.validate() }
            configuration.timeouts = S3Timeouts()
            configuration.partSize = 1024
            #expect(throws: StorageError.self) { try configuration.validate() }
            configuration.partSize = 5 * 1024 * 1024
            configuration.kmsKeyID = "key with spaces"
            #expect(throws: StorageError.self) { try configuration.validate() }
        }
    }
}
