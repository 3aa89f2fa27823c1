import Crypto

/// The hash chain that makes the audit trail tamper-evident: each row's hash covers its own fields and the
/// previous row's hash, so editing or removing any row breaks every link after it.
///
/// ## Canonical encoding, version 1
///
/// `hash = lowercase hex of SHA-256(message)`, where `message` is the concatenation of these items, in this
/// order (every item self-delimiting, so no two different rows encode to the same bytes):
///
/// | # | item | kind |
/// |---|---|---|
/// | 1 | the tag `medvault.audit.v1` | text |
/// | 2 | `sequence` | integer |
/// | 3 | `previousHash` (as stored, hex) | text |
/// | 4 | `occurredAt` as milliseconds since 1970-01-01T00:00:00Z | integer |
/// | 5 | `action` raw value | text |
/// | 6 | `outcome` raw value | text |
/// | 7 | `httpStatus` | optional integer |
/// | 8 | `errorCode` | optional text |
/// | 9 | `documentID` | optional text |
/// | 10 | `documentKey` | optional text |
/// | 11 | `actorID` | optional text |
/// | 12 | `actorRole` | optional text |
/// | 13 | `breakGlass` (0 or 1) | integer |
/// | 14 | `reason` | optional text |
/// | 15 | `clientAddress` | optional text |
/// | 16 | `userAgent` | optional text |
/// | 17 | `requestID` | text |
/// | 18 | `detail` | optional text |
/// | 19 | `patientID`, only when it is not nil | text |
///
/// Item 19 came with the patient column (migrations/0002_access.sql). It is left out entirely, not encoded as
/// nil, when there is no patient, so every row written before it existed still hashes as it did; it can be
/// appended without ambiguity because items 1 to 18 are always present and self-delimiting. A later optional
/// item 20 could not simply be left out the same way unless item 19 is then written explicitly (`00` for nil),
/// since an absent 19 followed by a present 20 would read as 19.
///
/// Each item starts with a one-byte tag: `0x00` nil (nothing follows); `0x01` text, followed by the UTF-8
/// byte count as an 8-byte big-endian unsigned integer and the bytes; `0x02` integer, followed by 8 bytes,
/// big-endian two's complement. So nil (`00`) and the empty string (`01` and eight zero bytes) differ.
///
/// - important: This encoding is a contract with every row already stored. Changing anything (order, tags,
///   the date unit, a raw value) makes old rows fail verification; a new encoding needs a new version tag
///   and a verifier that knows both.
package enum AuditChain {
    /// The `previousHash` of the first row: 64 zeros, a value no SHA-256 output is expected to take.
    package static let genesisHash = String(repeating: "0", count: 64)

    /// The version tag that starts every encoded row (item 1 of the encoding).
    package static let encodingVersion = "medvault.audit.v1"

    /// The hash of a row: lowercase hex SHA-256 of ``canonicalEncoding(sequence:entry:previousHash:)``.
    package static func hash(sequence: Int64, entry: AuditEntry, previousHash: String) -> String {
        let digest = SHA256.hash(data: canonicalEncoding(sequence: sequence, entry: entry, previousHash: previousHash))
        return hex(digest)
    }

    /// A record for `entry` at `sequence`, linked to `previousHash` and carrying its hash: what a writer stores.
    package static func seal(sequence: Int64, entry: AuditEntry, previousHash: String) -> AuditRecord {
        AuditRecord(
            sequence: sequence,
            entry: entry,
            previousHash: previousHash,
            hash: hash(sequence: sequence, entry: entry, previousHash: previousHash)
        )
    }

    /// The bytes that are hashed, as documented on ``AuditChain``; internal so tests can pin them exactly.
    static func canonicalEncoding(sequence: Int64, entry: AuditEntry, previousHash: String) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.text(encodingVersion)
        encoder.integer(sequence)
        encoder.text(previousHash)
        encoder.integer(entry.occurredAt.millisecondsSince1970)
        encoder.text(entry.action.rawValue)
        encoder.text(entry.outcome.rawValue)
        encoder.integer(entry.httpStatus.map(Int64.init))
        encoder.text(entry.errorCode)
        encoder.text(entry.documentID)
        encoder.text(entry.documentKey)
        encoder.text(entry.actorID)
        encoder.text(entry.actorRole)
        encoder.integer(entry.breakGlass ? 1 : 0)
        encoder.text(entry.reason)
        encoder.text(entry.clientAddress)
        encoder.text(entry.userAgent)
        encoder.text(entry.requestID)
        encoder.text(entry.detail)
        if let patientID = entry.patientID {
            encoder.text(patientID)
        }
        return encoder.bytes
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Appends tagged, length-prefixed items; see the table on ``AuditChain``.
private struct CanonicalEncoder {
    var bytes: [UInt8] = []

    mutating func text(_ value: String?) {
        guard let value else {
            bytes.append(0x00)
            return
        }
        let utf8 = Array(value.utf8)
        bytes.append(0x01)
        appendBigEndian(UInt64(utf8.count), byteCount: 8)
        bytes.append(contentsOf: utf8)
    }

    mutating func integer(_ value: Int64?) {
        guard let value else {
            bytes.append(0x00)
            return
        }
        bytes.append(0x02)
        appendBigEndian(UInt64(bitPattern: value), byteCount: 8)
    }

    private mutating func appendBigEndian(_ value: some FixedWidthInteger, byteCount: Int) {
        for index in stride(from: byteCount - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> (index * 8)))
        }
    }
}
