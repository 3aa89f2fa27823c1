import Foundation
import Testing

@testable import Audit

@Suite("AuditChain hashing")
struct AuditChainTests {
    @Test("the hash of a known row is pinned (computed independently from the documented encoding)")
    func pinnedHashes() {
        let first = AuditChain.seal(sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        #expect(first.hash == "72cde19b160dd5aa75cfbc1de0e88336c61fb357d663ad2c22b44d77cc013f63")
        let second = AuditChain.seal(sequence: 2, entry: AuditFixtures.secondEntry, previousHash: first.hash)
        #expect(second.hash == "70311d1936d372ada693be24134d29d175f54c536aa0a5cb7f4988b21bbc5211")
    }

    @Test("a row with a patient id (item 19) has a pinned hash too, computed independently")
    func pinnedPatientHash() {
        #expect(AuditFixtures.secondEntry.patientID == nil)
        let first = AuditChain.seal(sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        var entry = AuditFixtures.secondEntry
        entry.patientID = "p1"
        let second = AuditChain.seal(sequence: 2, entry: entry, previousHash: first.hash)
        #expect(second.hash == "a0989ead6288cb7129988be756be56b23c55753d619cc9e3b9df14babe9015e5")
    }

    @Test("the encoding starts with the length-prefixed version tag, then the tagged sequence")
    func encodingPrefix() {
        let bytes = AuditChain.canonicalEncoding(sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        let tag = Array("medvault.audit.v1".utf8)
        let expected: [UInt8] = [0x01, 0, 0, 0, 0, 0, 0, 0, UInt8(tag.count)] + tag + [0x02, 0, 0, 0, 0, 0, 0, 0, 1]
        #expect(Array(bytes.prefix(expected.count)) == expected)
    }

    @Test("genesis hash is 64 zeros")
    func genesis() {
        #expect(AuditChain.genesisHash == String(repeating: "0", count: 64))
    }

    @Test("nil and the empty string hash differently")
    func nilDiffersFromEmpty() {
        var withNil = AuditFixtures.firstEntry
        withNil.errorCode = nil
        var withEmpty = withNil
        withEmpty.errorCode = ""
        #expect(hash(withNil) != hash(withEmpty))
        var noDetail = AuditFixtures.firstEntry
        noDetail.detail = nil
        #expect(hash(noDetail) != hash(AuditFixtures.firstEntry))
    }

    @Test("moving characters across a field boundary changes the hash")
    func fieldBoundaries() {
        var left = AuditFixtures.firstEntry
        left.actorID = "ab"
        left.actorRole = "c"
        var right = AuditFixtures.firstEntry
        right.actorID = "a"
        right.actorRole = "bc"
        #expect(hash(left) != hash(right))
    }

    @Test("every field is covered by the hash")
    func everyFieldCovered() {
        let base = AuditFixtures.secondEntry
        let baseHash = hash(base)
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
            #expect(hash(entry) != baseHash)
        }
        #expect(AuditChain.hash(sequence: 3, entry: base, previousHash: AuditChain.genesisHash) != baseHash)
        #expect(AuditChain.hash(sequence: 2, entry: base, previousHash: String(repeating: "1", count: 64)) != baseHash)
    }

    @Test("a row without a patient id encodes exactly as before item 19 existed; with one, the item is appended")
    func patientIDIsAppendedOnlyWhenPresent() {
        #expect(AuditFixtures.firstEntry.patientID == nil)
        let withoutPatient = AuditChain.canonicalEncoding(sequence: 1, entry: AuditFixtures.firstEntry, previousHash: AuditChain.genesisHash)
        var entry = AuditFixtures.firstEntry
        entry.patientID = "p-42"
        let withPatient = AuditChain.canonicalEncoding(sequence: 1, entry: entry, previousHash: AuditChain.genesisHash)
        #expect(withPatient == withoutPatient + [0x01, 0, 0, 0, 0, 0, 0, 0, 4] + Array("p-42".utf8))
        entry.patientID = ""
        let emptyPatient = AuditChain.canonicalEncoding(sequence: 1, entry: entry, previousHash: AuditChain.genesisHash)
        #expect(emptyPatient == withoutPatient + [0x01, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test("a chain mixing rows with and without patient ids verifies; changing a stored patient id breaks it")
    func mixedPatientIDs() {
        var records: [AuditRecord] = []
        for (index, patientID) in [nil, "p1", nil, "p2", "p1"].enumerated() {
            var entry = AuditFixtures.secondEntry
            entry.patientID = patientID
            records.append(AuditChain.seal(sequence: Int64(index + 1), entry: entry, previousHash: records.last?.hash ?? AuditChain.genesisHash))
        }
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 5) == .intact(count: 5))
        for change: String? in ["p9", nil] {
            var tampered = records
            tampered[1].entry.patientID = change
            #expect(AuditChainVerifier.verify(tampered, highestIssuedSequence: 5) == .broken(sequence: 2, reason: .hashMismatch))
        }
        var added = records
        added[0].entry.patientID = "p1"
        #expect(AuditChainVerifier.verify(added, highestIssuedSequence: 5) == .broken(sequence: 1, reason: .hashMismatch))
    }

    @Test("hashes are lowercase hex of 64 digits")
    func hashFormat() {
        let value = hash(AuditFixtures.firstEntry)
        #expect(value.count == 64)
        #expect(value.allSatisfy { "0123456789abcdef".contains($0) })
    }

    private func hash(_ entry: AuditEntry) -> String {
        AuditChain.hash(sequence: 2, entry: entry, previousHash: AuditChain.genesisHash)
    }
}
