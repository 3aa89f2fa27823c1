import Audit
import Documents
import Foundation

/// The index's side of an entity's erasure, in two transactions around the removal of the objects, so that a crash
/// anywhere leaves nothing unaccounted for: ``beginEntityErasure(entityType:entityID:)`` marks every document of the
/// entity `missing` (never served again, whatever happens next), the caller erases the objects, and
/// ``finishEntityErasure(entityType:entityID:audit:)`` deletes the rows with the erasure's audit row. Running both
/// again after a crash finishes the job.
package protocol EntityErasures: Sendable {
    /// Marks every document of the entity `missing` and tells what the erasure covers, in one transaction. Refuses the
    /// whole erasure with ``PersistenceError/legalHold``, changing nothing, when any document of the entity is held.
    func beginEntityErasure(entityType: EntityType, entityID: String) async throws(PersistenceError) -> EntityErasurePlan

    /// Deletes every document row of the entity, aborts its open direct-upload sessions and appends `audit`, in one
    /// transaction; returns the audit row as written. Refuses with ``PersistenceError/legalHold`` if a document was
    /// held meanwhile. Audit rows about the entity are kept: they are the record that access and erasure happened.
    func finishEntityErasure(entityType: EntityType, entityID: String, audit: AuditEntry) async throws(PersistenceError) -> AuditRecord
}

/// What an entity's erasure covers, as ``EntityErasures/beginEntityErasure(entityType:entityID:)`` found it.
package struct EntityErasurePlan: Sendable, Equatable {
    /// The entity's document rows, every status.
    package var documents: Int
    /// Their recorded sizes, summed.
    package var bytes: Int64
    /// The ids of the entity's direct-upload sessions still open: their staged objects and multipart uploads go too.
    package var openUploads: [UUID]

    /// A plan.
    package init(documents: Int, bytes: Int64, openUploads: [UUID]) {
        self.documents = documents
        self.bytes = bytes
        self.openUploads = openUploads
    }
}
