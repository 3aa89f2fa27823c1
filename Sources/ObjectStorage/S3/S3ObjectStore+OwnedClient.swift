import AsyncHTTPClient
import NIOCore
import SigV4

extension S3ObjectStore {
    /// An S3 store with its own pooled HTTP client, for a composition root that must not import
    /// async-http-client (only this module does). Call the returned `shutdown` once, when the server stops.
    ///
    /// The client bounds connects at 5 s (or the request timeout, if shorter) and reads at the request timeout
    /// (``S3Timeouts/request``): the store's own deadlines cover waiting for a response's headers, and the read
    /// timeout covers a streamed body that stalls half-way, which would otherwise hold the download open.
    package static func withOwnedClient(
        configuration: S3StoreConfiguration
    ) throws(StorageError) -> (store: S3ObjectStore, shutdown: @Sendable () async throws -> Void) {
        var clientConfiguration = HTTPClient.Configuration()
        let request = TimeAmount(configuration.timeouts.request)
        clientConfiguration.timeout = .init(connect: min(.seconds(5), request), read: request)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        do {
            let store = try S3ObjectStore(configuration: configuration, httpClient: client)
            return (store, { try await client.shutdown() })
        } catch {
            try? client.syncShutdown()
            throw error
        }
    }
}
