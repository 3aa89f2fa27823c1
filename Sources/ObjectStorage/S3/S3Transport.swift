import Logging
import NIOCore

/// The one seam between ``S3ObjectStore`` and the network: send a signed request, get the status, the headers
/// and a streaming body back. ``S3HTTPClientTransport`` implements it with async-http-client; unit tests use a
/// fake that records requests and answers from a script.
protocol S3Transport: Sendable {
    /// Sends `request`; the returned response's body may still be arriving. Throws ``S3TransportError`` when no
    /// response head arrived by `deadline` (connection refused, timeout, connection lost, cancelled).
    func execute(_ request: S3HTTPRequest, deadline: NIODeadline, logger: Logger) async throws(S3TransportError) -> S3HTTPResponse
}

/// A request ready for the wire: the exact URL the signature covers, every header (signed ones included), and
/// the body, already in memory (at most one part).
struct S3HTTPRequest: Sendable {
    /// `GET`, `PUT`, `POST`, `HEAD` or `DELETE`.
    var method: String
    /// `scheme://host/encoded-path[?encoded-query]`, as the signer produced it.
    var url: String
    /// Headers in sending order; `Host` and `Content-Length` are added by the HTTP client.
    var headers: [(name: String, value: String)]
    /// The body; nil for none.
    var body: ByteBuffer?

    /// The first value of the header called `name`, compared case-insensitively.
    func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// What came back: the status, the headers, and the body as it streams in.
struct S3HTTPResponse: Sendable {
    /// The HTTP status code.
    var status: Int
    /// The response headers, in order.
    var headers: [(name: String, value: String)]
    /// The body; read it (or a bounded part of it) before the connection can be reused.
    var body: any AsyncSequence<ByteBuffer, any Error> & Sendable

    /// The first value of the header called `name`, compared case-insensitively.
    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return self.headers.first { $0.name.lowercased() == lowered }?.value
    }
}

/// Why a request got no response: the network's side of an S3 failure.
struct S3TransportError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, which decides retrying and the `StorageError` code.
    enum Kind: Sendable, Equatable {
        /// A connection lost, a timeout, a TLS failure: transient, worth retrying.
        case network
        /// No connection could be made (refused, unreachable, connect timeout). Transient, but not retried:
        /// async-http-client already retried connecting for its whole connect timeout.
        case connect
        /// The caller's task was cancelled: stop at once, never retry.
        case cancelled
        /// A request the HTTP client refused to send (a malformed URL, a client already shut down): retrying
        /// cannot help.
        case invalidRequest
    }

    /// The kind of failure.
    let kind: Kind
    /// The HTTP client's error, for the server's log.
    let underlying: any Error

    var description: String { "S3 transport error (\(self.kind)): \(String(describing: self.underlying))" }
}

/// A body that is already complete (a fake transport's answer, an empty body).
struct S3BufferedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// The buffers to hand out, in order.
    let buffers: [ByteBuffer]

    /// Serves `buffers` one by one.
    init(_ buffers: [ByteBuffer] = []) {
        self.buffers = buffers
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<ByteBuffer>

        mutating func next() async throws -> ByteBuffer? {
            self.remaining.popFirst()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(remaining: self.buffers[...])
    }
}
