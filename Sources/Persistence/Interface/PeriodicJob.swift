/// A periodic job of the server (purging sessions, sweeping abandoned uploads, …) that must run on one node at a
/// time when several share a database: its name is the lease ``JobLeases`` grants.
///
/// A new timer (lifecycle, retention) adds a static member here and runs through ``JobLeases/withJobLease(_:_:)``
/// like the others; nothing else needs to know about nodes.
package struct PeriodicJob: Sendable, Hashable, CustomStringConvertible {
    /// A stable name: it keys the lease in the database, so renaming a job lets two nodes run an old and a new
    /// release of it at once.
    package let name: String

    package init(name: String) {
        self.name = name
    }

    /// Removes sessions past their absolute end.
    package static let sessionPurge = PeriodicJob(name: "session-purge")
    /// Removes what uploads that died left in storage (upload intents older than the grace).
    package static let uploadIntentSweep = PeriodicJob(name: "upload-intent-sweep")

    /// Applies the lifecycle rules (temp/ expiry, transition, erasure of old archived documents).
    package static let lifecycle = PeriodicJob(name: "lifecycle")

    package var description: String { name }
}
