import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Fetches a pre-signed URL with one plain GET, as a browser or another service following it would: no credentials,
/// no retries, no redirects. The self-check uses it to prove that the URLs medvault issues are served while valid and
/// refused once expired or edited.
///
/// It lives in the storage module because only this module imports async-http-client (STYLE.md).
/// - important: the URL carries a credential scope and a signature; callers must not log or display it.
package struct PresignedURLFetcher: Sendable {
    /// What the server answered.
    package struct Response: Sendable {
        /// The HTTP status code.
        package let status: Int
        /// The `Content-Type` header, if any.
        package let contentType: String?
        /// The body, at most the `maxBodyBytes` the caller allowed.
        package let body: [UInt8]
    }

    /// No HTTP answer at all: nothing listening, a refused or timed-out connection, a body over the limit.
    package struct Failure: Error, CustomStringConvertible {
        /// A sentence without the URL (which carries the signature).
        package let message: String
        /// The client's error, for the log.
        package let underlying: any Error

        package var description: String { message }
    }

    /// Like `HTTPClient.shared` (process-wide, never shut down), but a refused connection fails at once instead of
    /// being retried until the connect timeout: "nothing is listening" is an answer the self-check acts on. No
    /// redirects are followed, as S3 sends none for a pre-signed GET.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(3), read: .seconds(30))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    private let client: HTTPClient

    /// A fetcher over a process-wide client that needs no shutdown.
    package init() {
        self.client = Self.client
    }

    /// GETs `url` within `timeoutSeconds` and collects at most `maxBodyBytes` of the answer's body. `host`, when
    /// given, is sent as the `Host` header instead of the URL's own: the request then reaches the server the URL
    /// names for the host it was signed for.
    package func get(_ url: String, host: String? = nil, maxBodyBytes: Int, timeoutSeconds: Int64) async throws(Failure) -> Response {
        do {
            var request = HTTPClientRequest(url: url)
            if let host { request.headers.replaceOrAdd(name: "host", value: host) }
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            let body = try await response.body.collect(upTo: maxBodyBytes)
            return Response(
                status: Int(response.status.code),
                contentType: response.headers.first(name: "content-type"),
                body: Array(body.readableBytesView)
            )
        } catch {
            throw Failure(message: "no HTTP answer from the URL's host", underlying: error)
        }
    }
}
