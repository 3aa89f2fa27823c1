import Crypto

/// The chain that makes the audit trail tamper-evident: each row's hash covers its own fields and the previous
/// row's hash, so editing or removing any row breaks every link after it; and since rows are keyed (version 2), only
/// the holder of the ``AuditKey`` can compute a hash that verifies, so a rewritten row cannot be made to fit again.
///
/// ## Canonical encoding
///
/// A row is encoded as the concatenation of these items, in this order (every item self-delimiting, see
/// ``CanonicalEncoder``, so no two different rows encode to the same bytes):
///
/// | # | item | kind |
/// |---|---|---|
/// | 1 | the tag `medvault.audit.v1` or `medvault.audit.v2` (the row's ``AuditChainVersion``) | text |
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
/// | 19 | `patientID` | version 1: text, only when it is not nil; version 2: optional text, always present |
///
/// ## Version 1, unkeyed (rows written before the chain was keyed)
///
/// `hash = lowercase hex of SHA-256(encoding)`. Item 19 came with the patient column (migrations/0002_access.sql)
/// and is left out entirely, not encoded as nil, when there is no patient, so every row written before it existed
/// still hashes as it did.
///
/// ## Version 2, keyed (every row written since)
///
/// `hash = lowercase hex of HMAC-SHA256(key: the audit key, message: encoding)`, item 19 always present (`00` for
/// nil). A later item 20 can be appended to version 2 rows only with a new version tag.
///
/// - important: These encodings are a contract with every row already stored. Changing anything (order, tags, the
///   date unit, a raw value) makes old rows fail verification; a new encoding needs a new version and a verifier
///   that knows all of them.
package enum AuditChain {
    /// The `previousHash` of the first row: 64 zeros, a value no SHA-256 output is expected to take.
    package static let genesisHash = String(repeating: "0", count: 64)

    /// The tag that starts every encoded row of `version` (item 1 of the encoding).
    static func encodingTag(_ version: AuditChainVersion) -> String {
        switch version {
        case .unkeyed: "medvault.audit.v1"
        case .keyed: "medvault.audit.v2"
        }
    }

    /// The version 1 hash of a row: lowercase hex SHA-256 of its encoding, with no key. Only rows stored before
    /// the chain was keyed carry it; nothing writes it any more.
    package static func unkeyedHash(sequence: Int64, entry: AuditEntry, previousHash: String) -> String {
        hex(SHA256.hash(data: canonicalEncoding(.unkeyed, sequence: sequence, entry: entry, previousHash: previousHash)))
    }

    /// The version 2 hash of a row: lowercase hex HMAC-SHA256 of its encoding under `key`.
    package static func keyedHash(sequence: Int64, entry: AuditEntry, previousHash: String, key: AuditKey) -> String {
        let message = canonicalEncoding(.keyed, sequence: sequence, entry: entry, previousHash: previousHash)
        return hex(HMAC<SHA256>.authenticationCode(for: message, using: key.symmetricKey))
    }

    /// A keyed record for `entry` at `sequence`, linked to `previousHash`: what a writer stores.
    package static func seal(sequence: Int64, entry: AuditEntry, previousHash: String, key: AuditKey) -> AuditRecord {
        AuditRecord(
            sequence: sequence,
            entry: entry,
            previousHash: previousHash,
            hash: keyedHash(sequence: sequence, entry: entry, previousHash: previousHash, key: key),
            version: .keyed
        )
    }

    /// The hash `record` must carry, by its version; what the verifier compares with the stored one.
    static func expectedHash(of record: AuditRecord, key: AuditKey) -> String {
        switch record.version {
        case .unkeyed: unkeyedHash(sequence: record.sequence, entry: record.entry, previousHash: record.previousHash)
        case .keyed: keyedHash(sequence: record.sequence, entry: record.entry, previousHash: record.previousHash, key: key)
        }
    }

    /// The bytes that are hashed, as documented on ``AuditChain``; internal so tests can pin them exactly.
    static func canonicalEncoding(_ version: AuditChainVersion, sequence: Int64, entry: AuditEntry, previousHash: String) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.text(encodingTag(version))
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
        switch version {
        case .unkeyed:
            if let patientID = entry.patientID { encoder.text(patientID) }
        case .keyed:
            encoder.text(entry.patientID)
        }
        return encoder.bytes
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
