/// One page of a listing, and where the next one starts.
package struct DocumentPage: Sendable, Equatable {
    /// The documents of this page, ordered by key.
    package var documents: [DocumentRecord]
    /// The `afterKey` for the next page, or nil when this is the last page.
    package var nextAfterKey: String?

    /// Creates a page.
    package init(documents: [DocumentRecord], nextAfterKey: String?) {
        self.documents = documents
        self.nextAfterKey = nextAfterKey
    }
}
