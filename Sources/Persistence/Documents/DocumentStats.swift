import Documents

/// Storage statistics for the `/stats` endpoint and the admin page: what is stored, by category and type.
///
/// Counts and bytes cover active documents only, except ``archivedCount`` and ``archivedBytes``; read from running totals that
/// triggers keep in `document_totals`, so the cost does not grow with the number of documents.
package struct DocumentStats: Sendable, Equatable {
    /// A number of documents and their total size.
    package struct Totals: Sendable, Equatable {
        /// How many documents.
        package var count: Int
        /// Their total size in bytes.
        package var bytes: Int64

        /// Creates totals.
        package init(count: Int, bytes: Int64) {
            self.count = count
            self.bytes = bytes
        }

        /// No documents.
        package static let zero = Totals(count: 0, bytes: 0)

        /// Adds `count` documents of `bytes` in all; how both engines sum the rows of `document_totals`.
        mutating func add(count: Int, bytes: Int64) {
            self.count += count
            self.bytes += bytes
        }
    }

    /// How many active documents there are.
    package var totalCount: Int
    /// Their total size in bytes.
    package var totalBytes: Int64
    /// Active documents per category; every category is present, zero when empty.
    package var byCategory: [FileCategory: Totals]
    /// Active documents per content type; only types that occur.
    package var byContentType: [String: Totals]
    /// The most recently uploaded active documents, newest first.
    package var recent: [DocumentRecord]
    /// How many documents are archived (still stored under `archived/`).
    package var archivedCount: Int
    /// The archived documents' total size, which they still cost in storage.
    package var archivedBytes: Int64

    /// Creates statistics.
    package init(
        totalCount: Int,
        totalBytes: Int64,
        byCategory: [FileCategory: Totals],
        byContentType: [String: Totals],
        recent: [DocumentRecord],
        archivedCount: Int,
        archivedBytes: Int64
    ) {
        self.totalCount = totalCount
        self.totalBytes = totalBytes
        self.byCategory = byCategory
        self.byContentType = byContentType
        self.recent = recent
        self.archivedCount = archivedCount
        self.archivedBytes = archivedBytes
    }
}
