/// Checks an audit trail row by row, in sequence order, without holding the rows in memory.
///
/// Feed every stored record in ascending sequence order, then call ``finish(highestIssuedSequence:)`` with the
/// highest sequence the store ever issued (SQLite's `sqlite_sequence` for `audit_events`), which is what
/// reveals the removal of the last rows: the chain alone cannot tell a trail that ends from one cut short.
///
/// Checks per row, first failure wins: the sequence is the next expected one (else rows were removed or
/// reordered); `previousHash` equals the preceding row's hash, or ``AuditChain/genesisHash`` for row 1; an unkeyed
/// row lies at or below `unkeyedThrough`, where keying began (else the chain was recomputed without the key); the
/// stored hash equals the recomputed one (else the row was edited); and the row at the anchor's sequence, if an
/// anchor was given, has the anchor's hash (else rows up to it were rewritten). At the end, the trail must reach the
/// anchor (else rows were cut off).
///
/// - important: The key proves that rows were written by a holder of the ``AuditKey``: someone who can write the
///   database but not read the key cannot rewrite a row and rebuild the chain after it. Only an anchor kept
///   elsewhere (`medvault audit anchor`) also guards the rows up to it against a holder of the key, and against
///   the whole tail being cut off together with the sequence counter.
package struct AuditChainVerifier: Sendable {
    private let key: AuditKey
    private let unkeyedThrough: Int64
    private let anchor: AuditAnchor?
    private var expectedSequence: Int64 = 1
    private var previousHash = AuditChain.genesisHash
    private var verifiedCount: Int64 = 0
    private var failure: AuditVerification?

    /// A verifier for a trail that starts at sequence 1 with the genesis hash, keyed with `key` after sequence
    /// `unkeyedThrough` (0 for a trail that was keyed from its first row), checked against `anchor` if given.
    package init(key: AuditKey, unkeyedThrough: Int64 = 0, anchor: AuditAnchor? = nil) {
        self.key = key
        self.unkeyedThrough = unkeyedThrough
        self.anchor = anchor
    }

    /// The last row verified so far (sequence 0 and the genesis hash before any): what `audit anchor` prints.
    package var head: AuditAnchor {
        AuditAnchor(sequence: expectedSequence - 1, hash: previousHash)
    }

    /// Checks the next record; returns `false` once the chain is known to be broken (feeding more is pointless).
    @discardableResult
    package mutating func feed(_ record: AuditRecord) -> Bool {
        guard failure == nil else { return false }
        failure = check(record)
        guard failure == nil else { return false }
        expectedSequence = record.sequence + 1
        previousHash = record.hash
        verifiedCount += 1
        return true
    }

    private func check(_ record: AuditRecord) -> AuditVerification? {
        if record.sequence > expectedSequence {
            return .broken(sequence: expectedSequence, reason: .missingRows(resumesAt: record.sequence))
        }
        if record.sequence < expectedSequence {
            return .broken(sequence: expectedSequence, reason: .outOfOrder(found: record.sequence))
        }
        if record.previousHash != previousHash {
            return .broken(sequence: record.sequence, reason: .previousHashMismatch)
        }
        if record.version == .unkeyed, record.sequence > unkeyedThrough {
            return .broken(sequence: record.sequence, reason: .unkeyedRow(keyedAfter: unkeyedThrough))
        }
        if AuditChain.expectedHash(of: record, key: key) != record.hash {
            return .broken(sequence: record.sequence, reason: .hashMismatch)
        }
        if let anchor, anchor.sequence == record.sequence, anchor.hash != record.hash {
            return .broken(sequence: record.sequence, reason: .anchorMismatch)
        }
        return nil
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
        if let anchor {
            if anchor.sequence > lastSequence {
                return .broken(sequence: expectedSequence, reason: .endsBeforeAnchor(anchor: anchor.sequence))
            }
            if anchor.sequence == 0, anchor.hash != AuditChain.genesisHash {
                return .broken(sequence: 0, reason: .anchorMismatch)
            }
        }
        return .intact(count: verifiedCount)
    }

    /// Verifies a whole sequence of records; convenient when they are already at hand.
    package static func verify(
        _ records: some Sequence<AuditRecord>,
        highestIssuedSequence: Int64,
        key: AuditKey,
        unkeyedThrough: Int64 = 0,
        anchor: AuditAnchor? = nil
    ) -> AuditVerification {
        var verifier = AuditChainVerifier(key: key, unkeyedThrough: unkeyedThrough, anchor: anchor)
        for record in records where !verifier.feed(record) {
            break
        }
        return verifier.finish(highestIssuedSequence: highestIssuedSequence)
    }
}
