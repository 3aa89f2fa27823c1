import Crypto
import Foundation
import Testing

@testable import Audit

@Suite("AuditChain hashing")
struct AuditChainTests {
    @Test("the unkeyed hash of known rows is pinned (computed independently from the documented encoding)")
    func pinnedUnkeyedHashes() {
        let first = AuditFixtures.unkeyedRecord(sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        #expect(first.hash == "72cde19b160dd5aa75cfbc1de0e88336c61fb357d663ad2c22b44d77cc013f63")
        let second = AuditFixtures.unkeyedRecord(sequence: 2, entry: AuditFixtures.secondEntry, previousHash: first.hash)
        #expect(second.hash == "70311d1936d372ada693be24134d29d175f54c536aa0a5cb7f4988b21bbc5211")
    }

    @Test("an unkeyed row with a patient id (item 19) has a pinned hash too, computed independently")
    func pinnedUnkeyedPatientHash() {
        #expect(AuditFixtures.secondEntry.patientID == nil)
        let first = AuditFixtures.unkeyedRecord(sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        var entry = AuditFixtures.secondEntry
        entry.patientID = "p1"
        #expect(
            AuditChain.unkeyedHash(sequence: 2, entry: entry, previousHash: first.hash)
                == "a0989ead6288cb7129988be756be56b23c55753d619cc9e3b9df14babe9015e5"
        )
    }

    @Test("the keyed hash (HMAC-SHA256, version 2 encoding) of known rows is pinned, computed independently")
    func pinnedKeyedHashes() {
        let first = AuditChain.seal(sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash, key: AuditFixtures.key)
        #expect(first.version == .keyed)
        #expect(first.hash == "89440d1b272b69ee1d4b1e9f732d010c101863dfa707cbe07ba726ecd075864f")
        let second = AuditChain.seal(sequence: 2, entry: AuditFixtures.secondEntry, previousHash: first.hash, key: AuditFixtures.key)
        #expect(second.hash == "6da4fd150c8225ea30b543ff4ef2d3f9b0be6e161818ab6f4f05e7f759801b6a")
        var entry = AuditFixtures.secondEntry
        entry.patientID = "p1"
        #expect(
            AuditChain.keyedHash(sequence: 2, entry: entry, previousHash: first.hash, key: AuditFixtures.key)
                == "4ca24151c55787866a1e6deb36cdb07d715ea04a42cacfd6e986a842841ceec9"
        )
    }

    @Test("the keyed hash depends on the key, and is not the unkeyed hash")
    func keyedHashNeedsTheKey() {
        let entry = AuditFixtures.firstEntry
        let keyed = AuditChain.keyedHash(sequence: 1, entry: entry, previousHash: AuditChain.genesisHash, key: AuditFixtures.key)
        let otherKey = AuditKey(SymmetricKey(data: [UInt8](repeating: 0, count: 32)))
        #expect(AuditChain.keyedHash(sequence: 1, entry: entry, previousHash: AuditChain.genesisHash, key: otherKey) != keyed)
        #expect(AuditChain.unkeyedHash(sequence: 1, entry: entry, previousHash: AuditChain.genesisHash) != keyed)
    }

    @Test("each encoding starts with its length-prefixed version tag, then the tagged sequence")
    func encodingPrefix() {
        for (version, tag) in [(AuditChainVersion.unkeyed, "medvault.audit.v1"), (.keyed, "medvault.audit.v2")] {
            let bytes = AuditChain.canonicalEncoding(version, sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
            let tagBytes = Array(tag.utf8)
            let expected: [UInt8] = [0x01, 0, 0, 0, 0, 0, 0, 0, UInt8(tagBytes.count)] + tagBytes + [0x02, 0, 0, 0, 0, 0, 0, 0, 1]
            #expect(Array(bytes.prefix(expected.count)) == expected)
        }
    }

    @Test("genesis hash is 64 zeros")
    func genesis() {
        #expect(AuditChain.genesisHash == String(repeating: "0", count: 64))
    }

    @Test("nil and the empty string hash differently", arguments: AuditChainVersion.allCases)
    func nilDiffersFromEmpty(version: AuditChainVersion) {
        var withNil = AuditFixtures.firstEntry
        withNil.errorCode = nil
        var withEmpty = withNil
        withEmpty.errorCode = ""
        #expect(hash(withNil, version) != hash(withEmpty, version))
        var noDetail = AuditFixtures.firstEntry
        noDetail.detail = nil
        #expect(hash(noDetail, version) != hash(AuditFixtures.firstEntry, version))
    }

    @Test("moving characters across a field boundary changes the hash", arguments: AuditChainVersion.allCases)
    func fieldBoundaries(version: AuditChainVersion) {
        var left = AuditFixtures.firstEntry
        left.actorID = "ab"
        left.actorRole = "c"
        var right = AuditFixtures.firstEntry
        right.actorID = "a"
        right.actorRole = "bc"
        #expect(hash(left, version) != hash(right, version))
    }

    @Test("every field is covered by the hash", arguments: AuditChainVersion.allCases)
    func everyFieldCovered(version: AuditChainVersion) {
        let base = AuditFixtures.secondEntry
        let baseHash = hash(base, version)
        var variants: [AuditEntry] = []
        func variant(_ change: (inout AuditEntry) -> Void) {
            var copy = base
            change(&copy)
            variants.append(copy)
        }
        variant { $0.occurredAt = $0.occurredAt.addingTimeInterval(0.001) }
        variant { $0.action = .documentArchive }
        variant { $0.outcome = .failed }
        variant { $0.httpStatus = 500 }
        variant { $0.httpStatus = nil }
        variant { $0.errorCode = "other" }
        variant { $0.documentID = "doc-9" }
        variant { $0.documentKey = nil }
        variant { $0.actorID = "user-3" }
        variant { $0.actorRole = "admin" }
        variant { $0.breakGlass = false }
        variant { $0.reason = nil }
        variant { $0.clientAddress = "198.51.100.1" }
        variant { $0.userAgent = "curl/9" }
        variant { $0.requestID = "req-3" }
        variant { $0.detail = "note" }
        variant { $0.patientID = "p1" }
        for entry in variants {
            #expect(hash(entry, version) != baseHash)
        }
        #expect(hash(base, version, sequence: 3) != baseHash)
        #expect(hash(base, version, previousHash: String(repeating: "1", count: 64)) != baseHash)
    }

    @Test("an unkeyed row without a patient id encodes exactly as before item 19 existed; with one, the item is appended")
    func unkeyedPatientIDIsAppendedOnlyWhenPresent() {
        #expect(AuditFixtures.firstEntry.patientID == nil)
        let withoutPatient = AuditChain.canonicalEncoding(
            .unkeyed,
            sequence: 1,
            entry: AuditFixtures.firstEntry,
            previousHash: AuditChain.genesisHash
        )
        var entry = AuditFixtures.firstEntry
        entry.patientID = "p-42"
        let withPatient = AuditChain.canonicalEncoding(.unkeyed, sequence: 1, entry: entry, previousHash: AuditChain.genesisHash)
        #expect(withPatient == withoutPatient + [0x01, 0, 0, 0, 0, 0, 0, 0, 4] + Array("p-42".utf8))
        entry.patientID = ""
        let emptyPatient = AuditChain.canonicalEncoding(.unkeyed, sequence: 1, entry: entry, previousHash: AuditChain.genesisHash)
        #expect(emptyPatient == withoutPatient + [0x01, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("a keyed row always encodes item 19, as nil (00) when there is no patient")
    func keyedPatientIDIsAlwaysPresent() {
        let unkeyed = AuditChain.canonicalEncoding(.unkeyed, sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        let keyed = AuditChain.canonicalEncoding(.keyed, sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        // Same items 2-18 (the tags differ only in their last byte), then the nil patient.
        #expect(keyed.count == unkeyed.count + 1)
        #expect(keyed.last == 0x00)
        var entry = AuditFixtures.firstEntry
        entry.patientID = "p-42"
        let withPatient = AuditChain.canonicalEncoding(.keyed, sequence: 1, entry: entry, previousHash: AuditChain.genesisHash)
        #expect(withPatient == keyed.dropLast() + [0x01, 0, 0, 0, 0, 0, 0, 0, 4] + Array("p-42".utf8))
    }

    @Test("a chain mixing rows with and without patient ids verifies; changing a stored patient id breaks it")
    func mixedPatientIDs() {
        var records: [AuditRecord] = []
        for (index, patientID) in [nil, "p1", nil, "p2", "p1"].enumerated() {
            var entry = AuditFixtures.secondEntry
            entry.patientID = patientID
            let previousHash = records.last?.hash ?? AuditChain.genesisHash
            records.append(AuditChain.seal(sequence: Int64(index + 1), entry: entry, previousHash: previousHash, key: AuditFixtures.key))
        }
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 5, key: AuditFixtures.key) == .intact(count: 5))
        for change: String? in ["p9", nil] {
            var tampered = records
            tampered[1].entry.patientID = change
            #expect(
                AuditChainVerifier.verify(tampered, highestIssuedSequence: 5, key: AuditFixtures.key) == .broken(sequence: 2, reason: .hashMismatch)
            )
        }
        var added = records
        added[0].entry.patientID = "p1"
        #expect(AuditChainVerifier.verify(added, highestIssuedSequence: 5, key: AuditFixtures.key) == .broken(sequence: 1, reason: .hashMismatch))
    }

    @Test("hashes are lowercase hex of 64 digits", arguments: AuditChainVersion.allCases)
    func hashFormat(version: AuditChainVersion) {
        let value = hash(AuditFixtures.firstEntry, version)
        #expect(value.count == 64)
        #expect(value.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test("the audit key never shows its bytes")
    func keyIsRedacted() {
        #expect("\(AuditFixtures.key)" == "<redacted>")
        #expect(String(reflecting: AuditFixtures.key) == "<redacted>")
    }

    private func hash(_ entry: AuditEntry, _ version: AuditChainVersion, sequence: Int64 = 2, previousHash: String = AuditChain.genesisHash) -> String
    {
        switch version {
        case .unkeyed: AuditChain.unkeyedHash(sequence: sequence, entry: entry, previousHash: previousHash)
        case .keyed: AuditChain.keyedHash(sequence: sequence, entry: entry, previousHash: previousHash, key: AuditFixtures.key)
        }
    }
}
