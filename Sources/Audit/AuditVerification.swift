/// The verdict on an audit trail: intact, or broken at the first row that cannot be trusted.
///
/// `medvault audit verify` prints it and exits non-zero when broken; the description names sequences only,
/// never row contents.
package enum AuditVerification: Sendable, Equatable, CustomStringConvertible {
    /// Every row checked out and no row is missing; `count` rows were verified.
    case intact(count: Int64)
    /// The chain is broken; `sequence` is the first row (present or missing) that is not as written.
    case broken(sequence: Int64, reason: AuditBreakReason)

    /// Whether the chain is intact, for callers that only need a yes or no.
    package var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    /// A one-line verdict for operators.
    package var description: String {
        switch self {
        case .intact(let count):
            "audit chain intact: \(count) rows verified"
        case .broken(let sequence, let reason):
            "audit chain broken at sequence \(sequence): \(reason)"
        }
    }
}

/// Why an audit chain is broken; each case names the kind of tampering it reveals.
package enum AuditBreakReason: Sendable, Equatable, CustomStringConvertible {
    /// The row's stored hash is not the hash of its fields: the row was edited (or, for a keyed row, the key
    /// given is not the one it was written with).
    case hashMismatch
    /// The row's `previousHash` is not the hash of the row before it: a row was replaced, or this link edited.
    case previousHashMismatch
    /// Rows from the reported sequence up to (not including) `resumesAt` are missing: rows were deleted.
    case missingRows(resumesAt: Int64)
    /// The row's sequence is not above the previous one: rows were duplicated or reordered.
    case outOfOrder(found: Int64)
    /// The last rows were deleted: sequences up to `highestIssued` were handed out but are not there.
    case missingTail(highestIssued: Int64)
    /// The counter of issued sequences is below rows that exist: the counter itself was tampered with.
    case counterBehind(highestIssued: Int64)
    /// The row carries an unkeyed hash although every row after `keyedAfter` was written keyed: the chain was
    /// recomputed by someone without the audit key.
    case unkeyedRow(keyedAfter: Int64)
    /// The row at the anchor's sequence does not have the anchor's hash: rows up to the anchor were rewritten.
    case anchorMismatch
    /// The trail ends before the anchor's sequence: rows up to the anchor were cut off.
    case endsBeforeAnchor(anchor: Int64)

    /// A short explanation for operators.
    package var description: String {
        switch self {
        case .hashMismatch:
            "row hash does not match its contents (row edited, or not the audit key it was written with)"
        case .previousHashMismatch:
            "previous-hash link does not match the preceding row (row replaced or link edited)"
        case .missingRows(let resumesAt):
            "rows missing before sequence \(resumesAt) (rows deleted)"
        case .outOfOrder(let found):
            "sequence \(found) is out of order (rows duplicated or reordered)"
        case .missingTail(let highestIssued):
            "rows missing up to sequence \(highestIssued) (last rows deleted)"
        case .counterBehind(let highestIssued):
            "highest issued sequence \(highestIssued) is below rows present (sequence counter edited)"
        case .unkeyedRow(let keyedAfter):
            "row has an unkeyed hash, but every row after sequence \(keyedAfter) is keyed (chain recomputed without the key)"
        case .anchorMismatch:
            "row hash differs from the anchor (rows up to the anchor rewritten)"
        case .endsBeforeAnchor(let anchor):
            "the trail ends before the anchor at sequence \(anchor) (rows cut off)"
        }
    }
}
