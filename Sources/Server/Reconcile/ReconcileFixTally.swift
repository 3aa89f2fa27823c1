import Documents

/// The counts of what `medvault reconcile --fix` did: for its summary, its JSON report and its `reconcile.run` row.
package struct ReconcileFixTally: Sendable, Equatable, Codable {
    /// Findings repaired (orphans deleted, rows marked missing).
    package var fixed = 0
    /// Orphans younger than the grace, left for a later run.
    package var withinGrace = 0
    /// Findings only a person can settle (size mismatches).
    package var reportedOnly = 0

    /// No fixes yet.
    package init() {}

    /// Findings the run left as they were; the command exits 1 when there are any.
    package var unresolved: Int { withinGrace + reportedOnly }

    /// Counts one finding's outcome (nil: not fixing).
    package mutating func count(_ outcome: ReconcileRepair.Outcome?) {
        switch outcome {
        case .fixed: fixed += 1
        case .withinGrace: withinGrace += 1
        case .reportedOnly: reportedOnly += 1
        case nil: break
        }
    }

    /// The counts in one line (no keys: they carry patient ids).
    package var summary: String { "fixed \(fixed), within grace \(withinGrace), left for review \(reportedOnly)" }
}
