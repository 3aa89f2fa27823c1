import AsyncHTTPClient
import NIOCore
import SigV4

extension S3ObjectStore {
    /// An S3 store with its own pooled HTTP client, for a composition root that must not import
    /// async-http-client (only this module does). Call the returned `shutdown` once, when the server stops.
    ///
    /// The client bounds connects at 5 s and reads at 30 s: the store's own deadlines cover waiting for a
    /// response's headers, and the read timeout covers a streamed body that stalls half-way.
    package static func withOwnedClient(
        configuration: S3StoreConfiguration
    ) throws(StorageError) -> (store: S3ObjectStore, shutdown: @Sendable () async throws -> Void) {
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(connect: .seconds(5), read: .seconds(30))
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
