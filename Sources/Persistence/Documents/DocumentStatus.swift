/// Whether a document is live or soft-deleted; stored in `documents.status`.
///
/// Archived documents keep their row (moved under `archived/`, with `original_key` and `archived_at`) so an
/// accidental delete can be undone and the audit trail keeps pointing at something real.
package enum DocumentStatus: String, CaseIterable, Sendable, Codable {
    /// Listed, counted in statistics, downloadable by those allowed.
    case active
    /// Soft-deleted into `archived/`; only listed when asked for explicitly.
    case archived
}
