import Crypto
import Foundation

@testable import Audit

/// Entries and chains shared by the audit tests.
enum AuditFixtures {
    /// The audit key of the fixtures: bytes 0, 1, …, 31 (the pinned values were computed with it independently).
    static let key = AuditKey(SymmetricKey(data: (0..<32).map { UInt8($0) }))

    static let firstEntry = AuditEntry(
        occurredAt: Date(millisecondsSince1970: 1_700_000_000_123),
        action: .documentUpload,
        outcome: .success,
        httpStatus: 201,
        documentID: "doc-1",
        actorID: "user-1",
        actorRole: "admin",
        clientAddress: "203.0.113.7",
        requestID: "req-1",
        detail: ""
    )

    static let secondEntry = AuditEntry(
        occurredAt: Date(millisecondsSince1970: 1_700_000_000_999),
        action: .documentDelete,
        outcome: .denied,
        httpStatus: 403,
        errorCode: "forbidden",
        documentKey: "patients/p1/other/x-é.pdf",
        actorID: "user-2",
        actorRole: "provider",
        breakGlass: true,
        reason: "emergency",
        userAgent: "curl/8",
        requestID: "req-2"
    )

    /// A well-formed keyed chain of `count` records, sequences 1...count; with `unkeyedThrough`, the first rows are
    /// sealed the unkeyed way, as rows stored before the chain was keyed.
    static func chain(count: Int, unkeyedThrough: Int = 0) -> [AuditRecord] {
        var records: [AuditRecord] = []
        var previousHash = AuditChain.genesisHash
        for index in 1...count {
            let entry = AuditEntry(
                occurredAt: Date(millisecondsSince1970: 1_700_000_000_000 + Int64(index) * 1000),
                action: AuditAction.allCases[index % AuditAction.allCases.count],
                outcome: AuditOutcome.allCases[index % AuditOutcome.allCases.count],
                documentID: "doc-\(index)",
                requestID: "req-\(index)"
            )
            let record =
                index <= unkeyedThrough
                ? unkeyedRecord(sequence: Int64(index), entry: entry, previousHash: previousHash)
                : AuditChain.seal(sequence: Int64(index), entry: entry, previousHash: previousHash, key: key)
            records.append(record)
            previousHash = record.hash
        }
        return records
    }

    /// A record sealed the way rows were before the chain was keyed (version 1, plain SHA-256).
    static func unkeyedRecord(sequence: Int64, entry: AuditEntry, previousHash: String) -> AuditRecord {
        AuditRecord(
            sequence: sequence,
            entry: entry,
            previousHash: previousHash,
            hash: AuditChain.unkeyedHash(sequence: sequence, entry: entry, previousHash: previousHash),
            version: .unkeyed
        )
    }
}
