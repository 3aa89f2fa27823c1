import Documents

extension ReconcileTally {
    /// The counts in one line: the CLI's summary and the `reconcile.run` audit row's detail (keys never appear there,
    /// they carry patient ids).
    package var summary: String {
        "objects \(objects), rows \(rows), orphans \(orphans), missing \(missing), size mismatches \(sizeMismatches)"
    }
}
