import GRDB

extension SearchPlanCache {
    /// Forgets the cache's answers when a transaction that inserted or deleted documents commits, whichever
    /// code wrote them: a write path that forgot to say so would otherwise keep sending a term that has become
    /// common to the trigram index, which then fetches every candidate. Updates are not watched: archiving keeps
    /// the name, and no update changes it.
    final class Invalidator: TransactionObserver {
        private let plans: SearchPlanCache
        /// Whether the current transaction inserted or deleted a document; only touched on the writer's queue.
        private var documentsChanged = false

        init(_ plans: SearchPlanCache) {
            self.plans = plans
        }

        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
            switch eventKind {
            case .insert(let tableName), .delete(let tableName): tableName == DocumentRecord.databaseTableName
            case .update: false
            }
        }

        func databaseDidChange(with event: DatabaseEvent) {
            documentsChanged = true
            stopObservingDatabaseChangesUntilNextTransaction()
        }

        func databaseDidCommit(_ db: Database) {
            if documentsChanged { plans.documentsChanged() }
            documentsChanged = false
        }

        func databaseDidRollback(_ db: Database) {
            documentsChanged = false
        }
    }
}
