/// One key the index knows of, the right side of the reconcile merge.
package struct IndexedEntry: Sendable, Equatable {
    /// What the index knows about the key.
    package enum Kind: Sendable, Equatable {
        /// A document row, with the size it recorded at upload.
        case document(id: String, size: Int64)
        /// An upload intent still in progress: its object may or may not exist yet, and neither is a finding
        /// (the abandoned-upload sweep owns it).
        case uploadInProgress
        /// A document row already marked missing (by an earlier `reconcile --fix`): its object is known to be gone,
        /// so its absence is no new finding, and neither is an object that reappeared at its key.
        case markedMissing
    }

    /// The key, as stored in the index.
    package var key: String
    /// A document row or an upload in progress.
    package var kind: Kind

    /// Builds an entry from an index page.
    package init(key: String, kind: Kind) {
        self.key = key
        self.kind = kind
    }
}
