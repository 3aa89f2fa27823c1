/// Which stored objects reconciliation compares with the index.
///
/// Objects under `temp/` (temporary uploads, expired by the lifecycle rules) and `quarantine/` (direct uploads being
/// staged and scanned, including their multipart parts) never have a document row while they are there, so they are
/// not orphans; nor are a document's variants under `derived/` (``DerivedKey``), which have no row of their own and are
/// removed with their document. Everything else in the store, documents and archived documents, must match a row.
package enum ReconcileScope {
    /// The key prefixes of objects that are not documents.
    package static let ignoredPrefixes = ["\(KeySyntax.tempRoot)/", "quarantine/", "\(DerivedKey.root)/"]

    /// Whether an object at `key` is compared with the index.
    package static func includes(_ key: String) -> Bool {
        !ignoredPrefixes.contains { key.utf8.starts(with: $0.utf8) }
    }
}
