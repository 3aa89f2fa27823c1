import Audit

/// The append-only, hash-chained audit trail: one chain however many nodes write to it.
///
/// Appends are serialised in the database itself (SQLite's single writer; on PostgreSQL a lock on the chain's
/// head row held to the end of the transaction), so two writers can never take the same sequence or link to the
/// same predecessor, and a transaction that does not commit leaves no row and no gap.
package protocol AuditLog: Sendable {
    /// Appends one audit row on its own; returns the stored record. Throws if the row cannot be written, and the
    /// caller must then fail the operation it was auditing (no audit row, no success).
    ///
    /// Concurrent calls share one write transaction (group commit); each returns only once the transaction
    /// holding its row has committed.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) async throws(PersistenceError) -> AuditRecord

    /// Up to `limit` audit rows after sequence `after` (from the start when nil), in sequence order; `limit` is
    /// clamped to `1...1000`.
    func auditEvents(after: Int64?, limit: Int) async throws(PersistenceError) -> [AuditRecord]

    /// One page of audit rows matching `query`, in sequence order, with where the next page starts.
    func auditEvents(matching query: AuditQuery) async throws(PersistenceError) -> AuditPage

    /// Checks the whole audit trail: every row's hash (keyed rows with the audit key) and link, no gap, no unkeyed
    /// row after keying began, no missing tail (against the highest sequence the database ever issued), and, with an
    /// `anchor`, that the trail still reaches it with the same hash there; rows stream, so memory stays flat.
    func verifyAuditChain(anchor: AuditAnchor?) async throws(PersistenceError) -> AuditVerification

    /// ``verifyAuditChain(anchor:)`` and the head it reached, from one snapshot: what `medvault audit anchor`
    /// prints once the chain up to it is proven intact.
    func auditChainHead(anchor: AuditAnchor?) async throws(PersistenceError) -> (verification: AuditVerification, head: AuditAnchor)

    /// The scan counts of `stats`, from the audit trail: upload rows marked clean by clamd
    /// (``Audit/ScanAudit/cleanDetail``) and uploads refused as malware (``Audit/ScanAudit/malwareCode``); each
    /// count reads only its own index (migration `0007_scan_audit`), however long the trail is.
    func scanTotals() async throws(PersistenceError) -> ScanTotals
}

extension AuditLog {
    /// ``verifyAuditChain(anchor:)`` without an anchor.
    package func verifyAuditChain() async throws(PersistenceError) -> AuditVerification {
        try await verifyAuditChain(anchor: nil)
    }

    /// ``auditChainHead(anchor:)`` without an anchor.
    package func auditChainHead() async throws(PersistenceError) -> (verification: AuditVerification, head: AuditAnchor) {
        try await auditChainHead(anchor: nil)
    }
}
