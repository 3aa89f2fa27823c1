/// Checks an audit trail row by row, in sequence order, without holding the rows in memory.
///
/// Feed every stored record in ascending sequence order, then call ``finish(highestIssuedSequence:)`` with the
/// highest sequence the store ever issued (SQLite's `sqlite_sequence` for `audit_events`), which is what
/// reveals the removal of the last rows: the chain alone cannot tell a trail that ends from one cut short.
///
/// Checks per row, first failure wins: the sequence is the next expected one (else rows were removed or
/// reordered); `previousHash` equals the preceding row's hash, or ``AuditChain/genesisHash`` for row 1; the
/// stored hash equals the recomputed one (else the row was edited).
///
/// - important: The chain proves that rows were not edited or removed by someone who cannot also rewrite all
///   later hashes and the sequence counter. An attacker with write access to the whole file can rebuild a
///   consistent chain; anchoring the latest hash outside the database (exports, logs) closes that gap.
package struct AuditChainVerifier: Sendable {
    private var expectedSequence: Int64 = 1
    private var previousHash = AuditChain.genesisHash
    private var verifiedCount: Int64 = 0
    private var failure: AuditVerification?

    /// A verifier for a trail that starts at sequence 1 with the genesis hash.
    package init() {}

    /// Checks the next record; returns `false` once the chain is known to be broken (feeding more is pointless).
    @discardableResult
    package mutating func feed(_ record: AuditRecord) -> Bool {
        guard failure == nil else { return false }
        if record.sequence > expectedSequence {
            failure = .broken(sequence: expectedSequence, reason: .missingRows(resumesAt: record.sequence))
        } else if record.sequence < expectedSequence {
            failure = .broken(sequence: expectedSequence, reason: .outOfOrder(found: record.sequence))
        } else if record.previousHash != previousHash {
            failure = .broken(sequence: record.sequence, reason: .previousHashMismatch)
        } else if AuditChain.hash(sequence: record.sequence, entry: record.entry, previousHash: record.previousHash) != record.hash {
            failure = .broken(sequence: record.sequence, reason: .hashMismatch)
        }
        guard failure == nil else { return false }
        expectedSequence = record.sequence + 1
        previousHash = record.hash
        verifiedCount += 1
        return true
    }

    /// The verdict after the last record, given the highest sequence ever issued (0 if none was).
    package func finish(highestIssuedSequence: Int64) -> AuditVerification {
        if let failure { return failure }
        let lastSequence = expectedSequence - 1
        if highestIssuedSequence > lastSequence {
            return .broken(sequence: expectedSequence, reason: .missingTail(highestIssued: highestIssuedSequence))
        }
        if highestIssuedSequence < lastSequence {
            return .broken(sequence: lastSequence, reason: .counterBehind(highestIssued: highestIssuedSequence))
        }
        return .intact(count: verifiedCount)
    }

    /// Verifies a whole sequence of records; convenient when they are already at hand.
    package static func verify(_ records: some Sequence<AuditRecord>, highestIssuedSequence: Int64) -> AuditVerification {
        var verifier = AuditChainVerifier()
        for record in records where !verifier.feed(record) {
            break
        }
        return verifier.finish(highestIssuedSequence: highestIssuedSequence)
    }
}
