/// Whether a document is live, soft-deleted or lost; stored in `documents.status`.
///
/// Archived documents keep their row (moved under `archived/`, with `original_key` and `archived_at`) so an
/// accidental delete can be undone and the audit trail keeps pointing at something real.
package enum DocumentStatus: String, CaseIterable, Sendable, Codable {
    /// Listed, counted in statistics, downloadable by those allowed.
    case active
    /// Soft-deleted into `archived/`; only listed when asked for explicitly.
    case archived
    /// Its object is gone from the store (`medvault reconcile --fix` found the row without it): listed to
    /// administrators with this status, never served or pre-signed, hidden from everyone else. The row keeps its
    /// `originalKey` and `archivedAt` if it was archived.
    case missing
}
