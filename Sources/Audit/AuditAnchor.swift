/// A chain head written down outside the database: `SEQUENCE:HASH`, the sequence and stored hash of the last row.
///
/// `medvault audit anchor` prints one; `medvault audit verify --anchor` checks that the row at that sequence still
/// has that hash (nothing up to it was rewritten, even by someone holding the key) and that the trail still reaches
/// it (nothing up to it was cut off). An anchor of an empty trail is `0:` followed by ``AuditChain/genesisHash``.
package struct AuditAnchor: Sendable, Equatable, CustomStringConvertible {
    /// The sequence of the anchored row (0 for an empty trail).
    package let sequence: Int64
    /// That row's stored hash, lowercase hex (64 digits).
    package let hash: String

    /// An anchor from known values.
    package init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }

    /// Parses `SEQUENCE:HASH` (a non-negative decimal, a colon, 64 hex digits in either case); nil otherwise.
    package init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let isDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) }
        let isHexDigit: (UInt8) -> Bool = { isDigit($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.allSatisfy(isDigit), let sequence = Int64(parts[0]),
            parts[1].utf8.count == 64, parts[1].utf8.allSatisfy(isHexDigit)
        else { return nil }
        self.init(sequence: sequence, hash: parts[1].lowercased())
    }

    /// `SEQUENCE:HASH`, the form `audit anchor` prints and `audit verify --anchor` reads.
    package var description: String { "\(sequence):\(hash)" }
}
