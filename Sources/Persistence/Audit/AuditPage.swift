import Audit

/// One page of an audit query, and where the next one starts.
package struct AuditPage: Sendable, Equatable {
    /// The rows of this page, in sequence order, exactly as stored (so a client can re-verify their hashes).
    package var records: [AuditRecord]
    /// The `afterSequence` for the next page, or nil when this is the last page.
    package var nextAfterSequence: Int64?

    /// Creates a page.
    package init(records: [AuditRecord], nextAfterSequence: Int64?) {
        self.records = records
        self.nextAfterSequence = nextAfterSequence
    }
}
