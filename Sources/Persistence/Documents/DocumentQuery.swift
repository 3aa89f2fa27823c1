import Documents

/// What a listing asks for: a key prefix, optional category and file-name search, live or archived
/// documents, and a page of keyset pagination.
///
/// Pages are ordered by key and continue after the last key of the previous page (`afterKey`), so rows
/// inserted or removed between pages never cause duplicates or gaps the way an OFFSET would.
package struct DocumentQuery: Sendable, Equatable {
    /// The largest page a query returns; larger limits are clamped to this.
    package static let maximumLimit = 1000

    /// Only keys starting with this (empty: all keys); matched as a key range, not with `LIKE`.
    package var prefix: String
    /// Only documents of this category, if set.
    package var category: FileCategory?
    /// Only documents whose file name contains this text, compared case-insensitively (see
    /// ``DocumentRecord/searchName(for:)``); `%` and `_` are literal characters, not wildcards.
    package var search: String?
    /// Archived documents instead of active ones.
    package var archived: Bool
    /// Missing documents (``DocumentStatus/missing``) instead of active or archived ones: an administrator's view of
    /// what `medvault reconcile --fix` found lost.
    package var missing = false
    /// The page size, clamped to `1...maximumLimit`.
    package var limit: Int
    /// Continue after this key: the previous page's ``DocumentPage/nextAfterKey``.
    package var afterKey: String?
    /// Only documents the caller may see; nil for an admin, who sees everything.
    package var visibility: DocumentVisibility?

    /// Creates a query; by default the first 100 active documents of all keys, unrestricted.
    package init(
        prefix: String = "",
        category: FileCategory? = nil,
        search: String? = nil,
        archived: Bool = false,
        limit: Int = 100,
        afterKey: String? = nil,
        visibility: DocumentVisibility? = nil
    ) {
        self.prefix = prefix
        self.category = category
        self.search = search
        self.archived = archived
        self.limit = limit
        self.afterKey = afterKey
        self.visibility = visibility
    }

    /// The one status the listing returns.
    package var status: DocumentStatus { missing ? .missing : archived ? .archived : .active }
}
