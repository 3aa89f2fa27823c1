import Audit
import Documents
import Foundation
import Logging
import ObjectStorage
import Persistence

/// One round of the lifecycle rules over the whole index, as `medvault lifecycle run` runs it: reads the rows page by
/// page (active, then archived; memory stays flat), plans each page with ``LifecyclePlanner`` and, unless it is a dry
/// run, carries the actions out.
///
/// Expiring and erasing remove the row and write the audit row in one transaction (the index refuses a document held
/// meanwhile), then delete the object, as a permanent delete does. Logs counts only: keys carry patient ids.
package struct LifecycleRun: Sendable {
    let planner: LifecyclePlanner
    let database: any DocumentIndex & StorageClasses
    let store: any ObjectStore
    /// Who the audit rows name as actor (`cli:<user>`, or the server's timer).
    let actorID: String
    let logger: Logger

    package init(rules: LifecycleRules, database: any DocumentIndex & StorageClasses, store: any ObjectStore, actorID: String, logger: Logger) {
        planner = LifecyclePlanner(rules: rules)
        self.database = database
        self.store = store
        self.actorID = actorID
        self.logger = logger
    }

    /// What happened to one planned action.
    package enum Result: String, Sendable {
        /// Carried out (or, in a dry run, would be).
        case done
        /// Skipped: a hold was placed or the row changed after it was planned, or storage failed (logged).
        case skipped
    }

    /// Plans the rules as of `instant` and, unless `dryRun`, applies them; calls `report` for each planned action.
    package func run(
        at instant: Date,
        dryRun: Bool,
        report: (LifecycleAction, Result) -> Void
    ) async throws(PersistenceError) {
        for archived in [false, true] {
            var query = DocumentQuery(archived: archived, limit: DocumentQuery.maximumLimit)
            while true {
                let page = try await database.listDocuments(query)
                for record in page.documents {
                    guard let action = planner.action(for: record, at: instant) else { continue }
                    // A transition already made is not due again; the planner sees rows only, so it is checked here.
                    if let storageClass = action.storageClass, try await database.storageClass(documentID: record.id) == storageClass { continue }
                    report(action, dryRun ? .done : await apply(action, to: record))
                }
                guard let next = page.nextAfterKey else { break }
                query.afterKey = next
            }
        }
    }

    /// One round of the server's timer at `instant`: applies the rules and logs how many actions of each rule were
    /// done; never throws, since a failed round only waits for the next.
    package func round(at instant: Date) async {
        var done: [String: Int] = [:]
        do {
            try await run(at: instant, dryRun: false) { action, result in
                if result == .done { done[action.name, default: 0] += 1 }
            }
        } catch {
            logger.warning("a lifecycle round could not read the index; it tries again later", metadata: ["error": "\(error)"])
        }
        if !done.isEmpty {
            logger.info("applied lifecycle rules", metadata: done.mapValues { "\($0)" })
        }
    }

    private func apply(_ action: LifecycleAction, to record: DocumentRecord) async -> Result {
        let auditAction: AuditAction
        switch action.kind {
        case .expire: auditAction = .lifecycleExpire
        case .erase: auditAction = .lifecycleErase
        case .transition: auditAction = .lifecycleTransition
        }
        let entry = AuditEntry(
            occurredAt: Date(),
            action: auditAction,
            outcome: .success,
            documentID: record.id.lowercaseText,
            documentKey: record.key,
            patientID: record.entityType == .patient ? record.entityID : nil,
            actorID: actorID,
            requestID: "lifecycle-\(UUID().lowercaseText)",
            detail: action.storageClass
        )
        if let storageClass = action.storageClass {
            return await transition(record, to: storageClass, audit: entry)
        }
        do {
            try await database.deleteDocument(id: record.id, audit: entry)
        } catch {
            logger.warning("a lifecycle action was skipped", metadata: ["error": "\(error)"])
            return .skipped
        }
        do {
            _ = try await store.erase(document: record, logger: logger)
        } catch {
            logger.warning("object left orphaned after a lifecycle removal", metadata: ["error.type": "\(type(of: error))"])
        }
        return .done
    }

    /// Copies the object into the class first (on S3), then records the class with its audit row: a failure between
    /// the two leaves the object in the new class unrecorded, and the next round records it.
    private func transition(_ record: DocumentRecord, to storageClass: String, audit: AuditEntry) async -> Result {
        do {
            try await store.changeStorageClass(key: record.key, to: storageClass, logger: logger)
            try await database.recordStorageClass(documentID: record.id, storageClass: storageClass, at: Date(), audit: audit)
            return .done
        } catch {
            logger.warning("a lifecycle transition was skipped", metadata: ["error.type": "\(type(of: error))"])
            return .skipped
        }
    }
}
