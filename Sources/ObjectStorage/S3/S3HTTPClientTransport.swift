import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// ``S3Transport`` over async-http-client: one shared, pooled `HTTPClient` whose lifecycle the server owns.
///
/// The response body is handed over unread, as async-http-client streams it, so a download never sits in memory.
/// async-http-client's own `deadline` covers connecting and receiving the response head; body reads are bounded by
/// the caller (``S3Client/collectBody(_:upTo:deadline:)``) or, for streamed downloads, by the client's read timeout.
struct S3HTTPClientTransport: S3Transport {
    /// The server's shared client.
    let client: HTTPClient

    func execute(_ request: S3HTTPRequest, deadline: NIODeadline, logger: Logger) async throws(S3TransportError) -> S3HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let body = request.body {
            outgoing.body = .bytes(body)
        }
        do {
            let response = try await self.client.execute(outgoing, deadline: deadline, logger: logger)
            return S3HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { (name: $0.name, value: $0.value) },
                body: response.body
            )
        } catch {
            throw S3TransportError(kind: Self.kind(of: error), underlying: error)
        }
    }

    /// Cancellation stops everything; errors about the request itself cannot be cured by retrying; a connection that
    /// could not be made at all (async-http-client retries connecting until its connect timeout, then reports the
    /// last error) is not retried again; everything else (lost connections, timeouts, TLS and DNS failures) is a
    /// network problem worth another attempt.
    static func kind(of error: any Error) -> S3TransportError.Kind {
        if error is CancellationError { return .cancelled }
        if let ioError = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(ioError.errnoCode) { return .connect }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return .connect }
        guard let clientError = error as? HTTPClientError else { return .network }
        switch clientError {
        case .cancelled:
            return .cancelled
        case .connectTimeout:
            return .connect
        case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath, .alreadyShutdown, .traceRequestWithBody,
            .bodyLengthMismatch:
            return .invalidRequest
        default:
            return .network
        }
    }
}
