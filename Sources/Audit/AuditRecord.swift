/// One stored audit row: an entry, its position in the chain, and the hashes that link it to the row before.
///
/// Records are produced by ``AuditChain/seal(sequence:entry:previousHash:key:)`` when a row is written and read
/// back verbatim for verification; ``AuditChainVerifier`` recomputes `hash` to detect edits.
package struct AuditRecord: Sendable, Codable, Equatable {
    /// The row's position, starting at 1 and increasing by one per row; a gap means rows were removed.
    package var sequence: Int64
    /// What the row says.
    package var entry: AuditEntry
    /// The `hash` of the row before (``AuditChain/genesisHash`` for the first row), lowercase hex.
    package var previousHash: String
    /// This row's hash, lowercase hex: ``AuditChain/keyedHash(sequence:entry:previousHash:key:)`` or, for rows
    /// stored before the chain was keyed, ``AuditChain/unkeyedHash(sequence:entry:previousHash:)``.
    package var hash: String
    /// Which of the two `hash` is.
    package var version: AuditChainVersion

    /// Creates a record from stored values, without checking them; verification is the verifier's job.
    package init(sequence: Int64, entry: AuditEntry, previousHash: String, hash: String, version: AuditChainVersion) {
        self.sequence = sequence
        self.entry = entry
        self.previousHash = previousHash
        self.hash = hash
        self.version = version
    }
}
