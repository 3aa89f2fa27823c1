import Foundation
import Logging
import NIOCore
import SigV4

/// The clock, randomness and sleeping ``S3Client`` uses, injected so that signatures and retry pauses are exact in
/// tests (STYLE.md: "Clock and randomness are inputs").
struct S3Environment: Sendable {
    /// The wall clock: signing time, and the last-modified time of an upload S3 did not date.
    var now: @Sendable () -> Date
    /// A number in 0..<1 for retry jitter.
    var random: @Sendable () -> Double
    /// Pauses between attempts; throws when the task is cancelled.
    var sleep: @Sendable (Duration) async throws -> Void

    /// The real clock, the system's random numbers and `Task.sleep`.
    static let live = S3Environment(
        now: { Date() },
        random: { Double.random(in: 0..<1) },
        sleep: { try await Task.sleep(for: $0) }
    )
}

/// Signs, sends and, when it is safe, retries S3 calls; turns every failure into a `StorageError`.
///
/// Every attempt has a deadline (``S3Timeouts``); every body it reads is bounded. Failures are logged with the call's
/// name, status, S3 code and request id, never with the object key (it carries a patient id) or a signature.
struct S3Client: Sendable {
    /// `Retry-After` for `storage_unavailable` when S3 did not send one (seconds).
    static let defaultRetryAfterSeconds = 5
    /// The most bytes read of an error body ("a bounded read", STYLE.md): S3's are well under 1 KiB.
    static let errorBodyLimit = 64 * 1024

    let transport: any S3Transport
    let signer: SigV4Signer
    let addressing: S3Addressing
    let bucket: String
    let timeouts: S3Timeouts
    let retryPolicy: S3RetryPolicy
    let environment: S3Environment

    /// The signed request for one attempt of `operation` at `date`.
    func signedRequest(_ operation: S3Operation, date: Date) throws(StorageError) -> S3HTTPRequest {
        do {
            let location = try self.addressing.location(bucket: self.bucket, key: operation.key)
            let signed = try self.signer.signHeaders(
                method: operation.method,
                location: location,
                query: operation.query,
                headers: operation.headers,
                payloadHash: operation.payloadHash,
                date: date
            )
            return S3HTTPRequest(method: operation.method, url: signed.url, headers: operation.headers + signed.headers, body: operation.body)
        } catch {
            throw .failure("The storage request could not be signed.", underlying: error)
        }
    }

    /// Runs `operation` until `accept` takes a 2xx response, a failure is final, or the retries run out.
    ///
    /// Non-2xx answers have their error body read (bounded) and classified; `accept` may also fail an attempt
    /// (e.g. an `<Error>` inside a 200, or a body that could not be read). Transient failures of idempotent calls are
    /// retried after ``S3RetryPolicy``'s pause while the overall deadline (``S3Timeouts/total``) allows.
    func perform<Result: Sendable>(
        _ operation: S3Operation,
        logger: Logger,
        accept: (S3HTTPResponse, NIODeadline) async throws(S3AttemptFailure) -> Result
    ) async throws(StorageError) -> Result {
        let overallDeadline = NIODeadline.now() + TimeAmount(self.timeouts.total)
        var failedAttempts = 0
        while true {
            let attemptDeadline = min(NIODeadline.now() + TimeAmount(operation.attemptTimeout), overallDeadline)
            let request = try self.signedRequest(operation, date: self.environment.now())
            let failure: S3AttemptFailure
            do {
                let response = try await self.transport.execute(request, deadline: attemptDeadline, logger: logger)
                if (200..<300).contains(response.status) {
                    return try await accept(response, attemptDeadline)
                }
                failure = .service(await self.serviceError(operation, response, deadline: attemptDeadline))
            } catch let error as S3TransportError {
                failure = .transport(error)
            } catch let error as S3AttemptFailure {
                failure = error
            } catch {
                failure = .unexpected("The storage backend failed.", underlying: error)
            }
            failedAttempts += 1
            let remaining = Duration(overallDeadline - NIODeadline.now())
            if let pause = self.retryPolicy.nextDelay(
                afterFailedAttempts: failedAttempts,
                isTransient: failure.isTransient,
                isIdempotent: operation.isIdempotent,
                remaining: remaining,
                retryAfter: failure.retryAfter,
                random: self.environment.random()
            ) {
                logger.warning(
                    "S3 call failed, retrying",
                    metadata: failure.metadata(operation.name).merging(["s3.attempt": "\(failedAttempts)", "s3.pause": "\(pause)"]) { $1 }
                )
                do {
                    try await self.environment.sleep(pause)
                } catch {
                    throw .failure("The storage operation was cancelled.", underlying: error)
                }
                continue
            }
            throw self.finalError(failure, operation: operation.name, logger: logger)
        }
    }

    /// Runs `operation` and reads the whole 2xx body, up to `limit` bytes, as bytes. With `checkEmbeddedError`, a
    /// 200 whose body is an `<Error>` document counts as that error (S3 does this for CompleteMultipartUpload and
    /// CopyObject, which answer 200 before they finish).
    func performCollecting(
        _ operation: S3Operation,
        limit: Int,
        checkEmbeddedError: Bool = false,
        logger: Logger
    ) async throws(StorageError) -> (response: S3HTTPResponse, body: [UInt8]) {
        try await self.perform(operation, logger: logger) { (response, deadline) throws(S3AttemptFailure) in
            let (body, complete) = try await Self.collectBody(response.body, upTo: limit, deadline: deadline)
            guard complete else { throw .unexpected("The storage backend sent an answer that is too large.", underlying: nil) }
            if checkEmbeddedError, let error = S3Documents.errorBody(body) {
                throw .service(
                    S3ServiceError(
                        operation: operation.name,
                        status: response.status,
                        code: error.code,
                        requestID: error.requestID ?? response.header("x-amz-request-id"),
                        retryAfterSeconds: nil
                    )
                )
            }
            return (response, body)
        }
    }

    /// Reads a non-2xx answer's error body (bounded, within the attempt's deadline) into an ``S3ServiceError``.
    func serviceError(_ operation: S3Operation, _ response: S3HTTPResponse, deadline: NIODeadline) async -> S3ServiceError {
        let body = (try? await Self.collectBody(response.body, upTo: Self.errorBodyLimit, deadline: deadline))?.bytes ?? []
        let parsed = S3Documents.errorBody(body)
        let retryAfter = response.header("retry-after").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { min(max($0, 1), 3600) }
        return S3ServiceError(
            operation: operation.name,
            status: response.status,
            code: parsed?.code,
            requestID: parsed?.requestID ?? response.header("x-amz-request-id"),
            retryAfterSeconds: retryAfter
        )
    }

    /// Maps the last failure to a `StorageError` and logs it: `.error` for what an operator must fix (denied, a
    /// missing bucket, a rejected request), `.warning` for an outage, `.debug` for a missing object.
    func finalError(_ failure: S3AttemptFailure, operation: String, logger: Logger) -> StorageError {
        let error = failure.storageError
        let metadata = failure.metadata(operation)
        switch error.code {
        case "not_found":
            logger.debug("S3 object not found", metadata: metadata)
        case "storage_unavailable":
            logger.warning("S3 is unavailable", metadata: metadata)
        default:
            logger.error("S3 refused or failed the call", metadata: metadata)
        }
        return error
    }

    /// Reads `body` into memory, at most `limit` bytes, before `deadline`. Returns the bytes and whether the body
    /// ended within the limit; reading stops (and the connection is dropped) at the limit.
    static func collectBody(
        _ body: any AsyncSequence<ByteBuffer, any Error> & Sendable,
        upTo limit: Int,
        deadline: NIODeadline
    ) async throws(S3AttemptFailure) -> (bytes: [UInt8], complete: Bool) {
        do {
            return try await withThrowingTaskGroup(of: (bytes: [UInt8], complete: Bool)?.self) { group in
                group.addTask { try await Self.drain(body, upTo: limit) }
                group.addTask {
                    let remaining = deadline - NIODeadline.now()
                    if remaining > .zero { try await Task.sleep(for: Duration(remaining)) }
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw S3AttemptFailure.transport(S3TransportError(kind: .network, underlying: S3DeadlineExceeded()))
                }
                return result
            }
        } catch let failure as S3AttemptFailure {
            throw failure
        } catch is CancellationError {
            throw .transport(S3TransportError(kind: .cancelled, underlying: CancellationError()))
        } catch {
            throw .transport(S3TransportError(kind: .network, underlying: error))
        }
    }

    private static func drain<Body: AsyncSequence<ByteBuffer, any Error>>(
        _ body: Body,
        upTo limit: Int
    ) async throws -> (bytes: [UInt8], complete: Bool) {
        var bytes: [UInt8] = []
        for try await buffer in body {
            guard bytes.count + buffer.readableBytes <= limit else { return (bytes, false) }
            bytes += buffer.readableBytesView
        }
        return (bytes, true)
    }
}

/// A body was still arriving when the attempt's deadline passed.
struct S3DeadlineExceeded: Error, CustomStringConvertible {
    var description: String { "the S3 answer did not arrive before the deadline" }
}
