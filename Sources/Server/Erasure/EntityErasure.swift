import Audit
import Documents
import Foundation
import Logging
import ObjectStorage
import Persistence

/// Erases every stored trace of one entity's documents for good: the objects under its folder and its archived
/// folder (every version in a versioned bucket), its documents' variants (previews, posters), its open direct uploads' staged objects, parts and multipart uploads,
/// and its index rows. Audit rows stay: they are the record that access and the erasure happened.
///
/// Crash-safe in three steps: the rows are marked `missing` first (never served again, and ``Reconciliation`` no
/// longer reports them), then the objects are erased, then the rows are deleted with the `entity.erase` audit row in
/// one transaction. A crash leaves flagged rows at worst, and running the erasure again finishes it. A legal hold on
/// any of the entity's documents refuses the whole erasure before anything changes.
package struct EntityErasure: Sendable {
    let store: any ObjectStore
    let database: any AppDatabase
    let logger: Logger

    /// An erasure on `store` and `database`.
    package init(store: any ObjectStore, database: any AppDatabase, logger: Logger) {
        self.store = store
        self.database = database
        self.logger = logger
    }

    /// Erases the entity; `audit` (with `detail` describing the counts) becomes its `entity.erase` row. The row's
    /// detail is filled here, so the caller passes the entry without it.
    package func run(
        entityType: EntityType,
        entityID: EntityID,
        audit: @Sendable (_ detail: String) -> AuditEntry
    ) async throws -> EntityErasureReceipt {
        let plan = try await database.beginEntityErasure(entityType: entityType, entityID: entityID.rawValue)
        var erased = ErasedObjects()
        for folder in KeyLayout.entityFolders(entityType, entityID) {
            erased += try await store.erase(prefix: folder, logger: logger)
        }
        // Variants live under their document's id, outside the entity's folders; the rows (now all `missing`) name them.
        let rows = try await EntityExport.gather(entityType, entityID, includingArchived: true, from: database, at: Date())
        for record in rows.documents + rows.missingDocuments {
            erased += try await store.erase(prefix: DerivedKey.folder(of: record.id), logger: logger)
        }
        for upload in plan.openUploads {
            erased += try await store.erase(prefix: "quarantine/\(upload.lowercaseText)", logger: logger)
            erased += try await store.erase(prefix: "quarantine/parts/\(upload.lowercaseText)/", logger: logger)
        }
        let detail =
            "documents \(plan.documents), bytes \(plan.bytes), objects \(erased.objects), versions \(erased.versions), uploads \(plan.openUploads.count)"
        let record = try await database.finishEntityErasure(entityType: entityType, entityID: entityID.rawValue, audit: audit(detail))
        return EntityErasureReceipt(
            entityType: entityType.rawValue,
            entityId: entityID.rawValue,
            documents: plan.documents,
            bytes: plan.bytes,
            objectsDeleted: erased.objects,
            versionsDeleted: erased.versions,
            completedAt: record.entry.occurredAt,
            auditSequence: record.sequence
        )
    }
}

/// The answer to an erasure: what was erased, when, and the audit row that records it.
package struct EntityErasureReceipt: Sendable, Equatable {
    package var entityType: String
    package var entityId: String
    /// Document rows removed (active, archived and missing alike).
    package var documents: Int
    /// Their recorded sizes, summed.
    package var bytes: Int64
    /// Objects that were there and were deleted.
    package var objectsDeleted: Int
    /// Versions and delete markers removed in a versioned bucket (0 elsewhere).
    package var versionsDeleted: Int
    /// When the erasure's audit row was written.
    package var completedAt: Date
    /// The `entity.erase` audit row's sequence.
    package var auditSequence: Int64
}
