import Documents
import Foundation
import Logging
import ObjectStorage
import Persistence

/// Compares the document index with the store, as `medvault reconcile` reports it.
///
/// The store's listing (in pages of ``pageSize``, ListObjectsV2 on S3) and the index's keys (in pages of the same
/// size, ordered bytewise) are merged by ``ReconcileMerge``; only one page of each side is held at a time.
package struct Reconciliation: Sendable {
    /// How many keys one page of either side carries (S3's maximum for ListObjectsV2).
    package static let pageSize = 1000

    let store: any ObjectStore
    let database: any ReconcileKeys
    let logger: Logger

    /// A reconciliation of `store` against `database`.
    package init(store: any ObjectStore, database: any ReconcileKeys, logger: Logger) {
        self.store = store
        self.database = database
        self.logger = logger
    }

    /// Runs the comparison, handing each finding to `report` in key order (bucket by bucket when categories are routed
    /// to buckets of their own, see ``partitions``); returns the counts.
    package func run(report: (ReconcileFinding) async throws -> Void) async throws -> ReconcileTally {
        var tally = ReconcileTally()
        for partition in try self.partitions() {
            tally += try await self.merge(store: partition.store, keeps: partition.keeps, report: report)
        }
        return tally
    }

    /// One bucket's listing merged with the index rows whose key `keeps`.
    private func merge(
        store: any ObjectStore,
        keeps: @escaping @Sendable (String) -> Bool,
        report: (ReconcileFinding) async throws -> Void
    ) async throws -> ReconcileTally {
        let database = database
        let logger = logger
        let objects = PagedSequence<StoredObjectEntry> { token in
            let listing = try await store.list(prefix: "", continuationToken: token, maxKeys: Self.pageSize, logger: logger)
            let entries = listing.objects.map { StoredObjectEntry(key: $0.key, size: $0.size, lastModified: $0.lastModified) }
            return (entries, listing.nextContinuationToken)
        }
        let rows = PagedSequence<IndexedEntry> { after in
            let page = try await database.reconcileKeys(after: after, limit: Self.pageSize)
            return (page.filter { keeps($0.key) }, page.count == Self.pageSize ? page.last?.key : nil)
        }
        return try await ReconcileMerge.run(store: objects, index: rows, report: report)
    }
}
