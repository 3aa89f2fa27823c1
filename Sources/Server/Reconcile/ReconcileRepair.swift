import Audit
import Documents
import Foundation
import Logging
import ObjectStorage
import Persistence

/// What `medvault reconcile --fix` does with each finding, as the merge reports it.
///
/// An orphan (an object no row knows of) older than the grace is deleted: younger ones may be an upload between its
/// object's write and its row's commit, so they are left for a later run. A row whose object is gone is marked
/// ``DocumentStatus/missing``, so it is no longer served and an administrator sees it. A size mismatch needs a person
/// and is only reported. Each fix writes its own audit row (`reconcile.delete_orphan`, `reconcile.mark_missing`).
package struct ReconcileRepair: Sendable {
    /// What one finding came to.
    package enum Outcome: Sendable, Equatable {
        /// The finding was repaired.
        case fixed
        /// An orphan younger than the grace, left for a later run.
        case withinGrace
        /// Nothing to do automatically (a size mismatch).
        case reportedOnly
    }

    let store: any ObjectStore
    let database: any AppDatabase
    /// Orphans last written less than this long before ``now`` are kept.
    let grace: TimeInterval
    let now: Date
    /// The actor and request id every fix's audit row carries.
    let template: AuditEntry
    let logger: Logger

    /// A repair of `store` and `database` that keeps orphans younger than `grace` seconds at `now`; each audit row
    /// copies `template`'s actor and request id.
    package init(store: any ObjectStore, database: any AppDatabase, grace: TimeInterval, now: Date, template: AuditEntry, logger: Logger) {
        self.store = store
        self.database = database
        self.grace = grace
        self.now = now
        self.template = template
        self.logger = logger
    }

    /// Repairs `finding` if it can; the object is deleted before its audit row is written, so a failure in between
    /// leaves a deleted orphan unaudited rather than an audit row about an object still there.
    package func fix(_ finding: ReconcileFinding) async throws -> Outcome {
        switch finding {
        case .orphan(let object):
            guard now.timeIntervalSince(object.lastModified) >= grace else { return .withinGrace }
            _ = try await store.erase(key: object.key, logger: logger)
            _ = try await database.appendAudit(entry(.reconcileDeleteOrphan, key: object.key, documentID: nil))
            return .fixed
        case .missingObject(let key, let documentID, _):
            guard let id = UUID(parsing: documentID) else { return .reportedOnly }
            try await database.markDocumentMissing(id: id, audit: entry(.reconcileMarkMissing, key: key, documentID: documentID))
            return .fixed
        case .sizeMismatch:
            return .reportedOnly
        }
    }

    private func entry(_ action: AuditAction, key: String, documentID: String?) -> AuditEntry {
        var entry = template
        entry.occurredAt = Date().roundedToMilliseconds
        entry.action = action
        entry.documentKey = key
        entry.documentID = documentID
        entry.detail = nil
        return entry
    }
}
