import Foundation
import NIOCore

extension S3ObjectStore {
    /// The object's metadata from HeadObject or GetObject headers, and how many body bytes the answer carries.
    ///
    /// For a range, the answer must be a 206 whose `Content-Range` (RFC 9110 §14.4) is exactly the range asked for;
    /// its total is the object's size. An S3 server that ignored the range would otherwise send the whole object.
    func objectInfo(
        key: String,
        response: S3HTTPResponse,
        requestedRange: ClosedRange<Int64>?
    ) throws(S3AttemptFailure) -> (info: ObjectInfo, bodyLength: Int64) {
        guard let etag = response.header("etag"), !etag.isEmpty else {
            throw .unexpected("The storage backend did not send the object's ETag.", underlying: nil)
        }
        let contentLength = response.header("content-length").flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
        let size: Int64
        let bodyLength: Int64
        if let requestedRange {
            guard response.status == 206, let contentRange = response.header("content-range").flatMap(Self.contentRange),
                contentRange.range == requestedRange
            else {
                throw .unexpected("The storage backend did not serve the requested range.", underlying: nil)
            }
            size = contentRange.total
            bodyLength = requestedRange.upperBound - requestedRange.lowerBound + 1
        } else {
            guard let contentLength, contentLength >= 0 else {
                throw .unexpected("The storage backend did not send the object's length.", underlying: nil)
            }
            size = contentLength
            bodyLength = contentLength
        }
        let lastModified =
            response.header("last-modified").flatMap(S3DateParser.httpDate)
            ?? response.header("date").flatMap(S3DateParser.httpDate)
            ?? self.client.environment.now()
        let info = ObjectInfo(
            key: key,
            size: size,
            etag: S3Documents.quotedETag(etag),
            lastModified: lastModified,
            contentType: response.header("content-type"),
            serverSideEncryption: response.header("x-amz-server-side-encryption"),
            storageClass: response.header("x-amz-storage-class")
        )
        return (info, bodyLength)
    }

    /// Wraps the transport's body stream (an existential, opened here) in an ``S3ObjectBody``.
    static func checkedBody(
        _ body: any AsyncSequence<ByteBuffer, any Error> & Sendable,
        expectedLength: Int64
    ) -> any AsyncSequence<ByteBuffer, any Error> & Sendable {
        func open<Body: AsyncSequence<ByteBuffer, any Error> & Sendable>(_ body: Body) -> any AsyncSequence<ByteBuffer, any Error> & Sendable {
            S3ObjectBody<Body>(base: body, expectedLength: expectedLength)
        }
        return open(body)
    }

    /// `bytes first-last/total` (RFC 9110 §14.4); nil for anything else, including an unknown total (`*`).
    static func contentRange(_ value: String) -> (range: ClosedRange<Int64>, total: Int64)? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-"), let slash = spec.firstIndex(of: "/"), dash < slash,
            let first = Int64(spec[..<dash]), let last = Int64(spec[spec.index(after: dash)..<slash]),
            let total = Int64(spec[spec.index(after: slash)...]),
            first >= 0, first <= last, last < total
        else { return nil }
        return (first...last, total)
    }
}

/// A GetObject body as ``ObjectStream`` hands it out: S3's bytes as they arrive, with failures turned into
/// `StorageError`s and the length checked, so a connection that drops mid-object is an error, not a short file.
struct S3ObjectBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    /// The HTTP client's body stream.
    let base: Base
    /// The bytes the answer announced (the range's length, or the object's size).
    let expectedLength: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let expectedLength: Int64
        var received: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            let buffer: ByteBuffer?
            do {
                buffer = try await self.base.next()
            } catch {
                throw StorageError.unavailable(
                    "The storage backend stopped sending the object.",
                    retryAfter: S3Client.defaultRetryAfterSeconds,
                    underlying: error
                )
            }
            guard let buffer else {
                guard self.received == self.expectedLength else {
                    throw StorageError.unavailable("The storage backend sent a truncated object.", retryAfter: S3Client.defaultRetryAfterSeconds)
                }
                return nil
            }
            self.received += Int64(buffer.readableBytes)
            guard self.received <= self.expectedLength else {
                throw StorageError.failure("The storage backend sent more bytes than announced.")
            }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.base.makeAsyncIterator(), expectedLength: self.expectedLength)
    }
}
