import Foundation

/// One object as the store's listing reports it, the left side of the reconcile merge.
package struct StoredObjectEntry: Sendable, Equatable {
    /// The object's key, exactly as the store lists it.
    package var key: String
    /// The object's size in bytes.
    package var size: Int64
    /// When the object was last written; `--fix` only deletes orphans older than the grace.
    package var lastModified: Date

    /// Builds an entry from a listing page.
    package init(key: String, size: Int64, lastModified: Date) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
    }
}
