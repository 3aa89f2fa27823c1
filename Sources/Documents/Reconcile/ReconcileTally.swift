/// The counts of one reconcile run: what was compared and what disagreed, for the summary and the audit row.
package struct ReconcileTally: Sendable, Equatable, Codable {
    /// Objects listed by the store inside the reconciled scope.
    package var objects = 0
    /// Document rows read from the index.
    package var rows = 0
    /// Objects without a row.
    package var orphans = 0
    /// Rows without an object.
    package var missing = 0
    /// Rows whose object has another size.
    package var sizeMismatches = 0

    /// An empty tally.
    package init() {}

    /// Whether the run found anything (the CLI exits 1 then, unless it fixed it).
    package var foundSomething: Bool { orphans + missing + sizeMismatches > 0 }

    mutating func count(_ finding: ReconcileFinding) {
        switch finding {
        case .orphan: orphans += 1
        case .missingObject: missing += 1
        case .sizeMismatch: sizeMismatches += 1
        }
    }
}
