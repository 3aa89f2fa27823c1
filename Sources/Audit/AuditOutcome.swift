/// How an audited request ended, from the point of view of an auditor rather than of HTTP.
///
/// The raw values are stored in `audit_events.outcome` and covered by the chain hash; never rename one.
package enum AuditOutcome: String, CaseIterable, Sendable, Codable {
    /// The operation was allowed and completed.
    case success
    /// The client sent something invalid (a 4xx other than an access decision).
    case rejected
    /// The access policy refused the operation; these rows are what an auditor looks for first.
    case denied
    /// The server or the storage backend failed (a 5xx).
    case failed
}
