import Documents
import ObjectStorage

extension Reconciliation {
    /// What is merged: the whole store against every row, or, on S3 with `MEDVAULT_BUCKET_ROUTES`, each bucket against
    /// the rows whose key routes to it (the same merge, once per bucket).
    func partitions() throws -> [(store: any ObjectStore, keeps: @Sendable (String) -> Bool)] {
        guard let s3 = self.store as? S3ObjectStore, s3.buckets.count > 1 else { return [(self.store, { _ in true })] }
        return try s3.buckets.map { bucket in
            (try s3.restricted(to: bucket), { s3.bucket(forKey: $0) == bucket })
        }
    }
}

extension ReconcileTally {
    /// Adds another bucket's counts.
    static func += (total: inout ReconcileTally, other: ReconcileTally) {
        total.objects += other.objects
        total.rows += other.rows
        total.orphans += other.orphans
        total.missing += other.missing
        total.sizeMismatches += other.sizeMismatches
    }
}
