import Logging
import NIOCore
import ObjectStorage

/// Opens the sources of an import: local files, and `s3://` objects through a signed, streaming GetObject on the
/// configured S3 endpoint with its credentials (one client per bucket, opened on first use).
package actor ImportSources {
    /// The configured S3 store's settings, whose bucket each `s3://` source replaces; nil without S3.
    private let s3: S3StoreConfiguration?
    private var buckets: [String: (store: S3ObjectStore, shutdown: @Sendable () async throws -> Void)] = [:]

    package init(s3: S3StoreConfiguration?) {
        self.s3 = s3
    }

    /// Whether `s3://` sources can be read.
    package nonisolated var readsS3: Bool { s3 != nil }

    /// The source's bytes. Throws an ``ImportRefusal``: `source_not_found`, `source_unreadable`, `invalid_source`.
    func open(_ source: ImportSource, logger: Logger) async throws(ImportRefusal) -> any AsyncSequence<ByteBuffer, any Error> & Sendable {
        switch source {
        case .local(let path):
            return try LocalFileChunks(path: path)
        case .s3(let bucket, let key):
            let store = try store(bucket: bucket)
            do {
                return try await store.read(key: key, range: nil, logger: logger).body
            } catch {
                throw error.code == "not_found" ? .sourceNotFound : .sourceUnreadable
            }
        }
    }

    /// Closes the S3 clients; call once, when the import is done.
    package func shutdown() async {
        for (_, bucket) in buckets { try? await bucket.shutdown() }
        buckets = [:]
    }

    private func store(bucket: String) throws(ImportRefusal) -> S3ObjectStore {
        if let open = buckets[bucket] { return open.store }
        guard var configuration = s3 else { throw .sourceUnreadable }
        configuration.bucket = bucket
        do {
            let open = try S3ObjectStore.withOwnedClient(configuration: configuration)
            buckets[bucket] = open
            return open.store
        } catch {
            throw .invalidSource
        }
    }
}
