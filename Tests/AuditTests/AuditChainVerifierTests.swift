import Crypto
import Testing

@testable import Audit

@Suite("AuditChainVerifier")
struct AuditChainVerifierTests {
    @Test("an untouched chain is intact")
    func intact() {
        let records = AuditFixtures.chain(count: 12)
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 12, key: AuditFixtures.key) == .intact(count: 12))
    }

    @Test("an empty trail with nothing issued is intact")
    func empty() {
        #expect(AuditChainVerifier.verify([], highestIssuedSequence: 0, key: AuditFixtures.key) == .intact(count: 0))
    }

    @Test("an edited row is reported at its sequence")
    func editedRow() {
        var records = AuditFixtures.chain(count: 10)
        records[4].entry.outcome = .success
        records[4].entry.detail = "nothing to see"
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 10, key: AuditFixtures.key) == .broken(sequence: 5, reason: .hashMismatch))
    }

    @Test("an edited row whose hash was recomputed breaks the next link")
    func resealedRow() {
        var records = AuditFixtures.chain(count: 10)
        var edited = records[4].entry
        edited.actorID = "someone-else"
        records[4] = AuditChain.seal(sequence: 5, entry: edited, previousHash: records[3].hash, key: AuditFixtures.key)
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 10, key: AuditFixtures.key)
                == .broken(sequence: 6, reason: .previousHashMismatch)
        )
    }

    @Test("a removed middle row is a gap at the missing sequence")
    func removedMiddleRow() {
        var records = AuditFixtures.chain(count: 10)
        records.remove(at: 6)
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 10, key: AuditFixtures.key)
                == .broken(sequence: 7, reason: .missingRows(resumesAt: 8))
        )
    }

    @Test("removed first rows are a gap at sequence 1")
    func removedHead() {
        let records = Array(AuditFixtures.chain(count: 5).dropFirst(2))
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 5, key: AuditFixtures.key)
                == .broken(sequence: 1, reason: .missingRows(resumesAt: 3))
        )
    }

    @Test("removed last rows are only visible against the highest issued sequence")
    func removedTail() {
        let records = Array(AuditFixtures.chain(count: 10).prefix(8))
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 8, key: AuditFixtures.key) == .intact(count: 8))
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 10, key: AuditFixtures.key)
                == .broken(sequence: 9, reason: .missingTail(highestIssued: 10))
        )
        #expect(
            AuditChainVerifier.verify([], highestIssuedSequence: 3, key: AuditFixtures.key)
                == .broken(sequence: 1, reason: .missingTail(highestIssued: 3))
        )
    }

    @Test("a counter below the rows present is reported")
    func counterBehind() {
        let records = AuditFixtures.chain(count: 4)
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 2, key: AuditFixtures.key)
                == .broken(sequence: 4, reason: .counterBehind(highestIssued: 2))
        )
    }

    @Test("a duplicated row is out of order")
    func duplicated() {
        var records = AuditFixtures.chain(count: 4)
        records.insert(records[1], at: 2)
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 4, key: AuditFixtures.key)
                == .broken(sequence: 3, reason: .outOfOrder(found: 2))
        )
    }

    @Test("a first row not linked to the genesis hash is reported")
    func badGenesisLink() {
        let entry = AuditFixtures.firstEntry
        let record = AuditChain.seal(sequence: 1, entry: entry, previousHash: String(repeating: "f", count: 64), key: AuditFixtures.key)
        #expect(
            AuditChainVerifier.verify([record], highestIssuedSequence: 1, key: AuditFixtures.key)
                == .broken(sequence: 1, reason: .previousHashMismatch)
        )
    }

    @Test("feeding stops being useful after the first break, which is kept")
    func firstBreakWins() {
        var records = AuditFixtures.chain(count: 6)
        records[1].hash = String(repeating: "a", count: 64)
        records[4].entry.detail = "also edited"
        var verifier = AuditChainVerifier(key: AuditFixtures.key)
        let accepted = [verifier.feed(records[0]), verifier.feed(records[1]), verifier.feed(records[2])]
        #expect(accepted == [true, false, false])
        #expect(verifier.finish(highestIssuedSequence: 6) == .broken(sequence: 2, reason: .hashMismatch))
    }

    @Test("descriptions name sequences and never row contents")
    func descriptions() {
        let verdict = AuditVerification.broken(sequence: 7, reason: .missingRows(resumesAt: 9))
        #expect(verdict.description == "audit chain broken at sequence 7: rows missing before sequence 9 (rows deleted)")
        #expect(!verdict.isIntact)
        #expect(AuditVerification.intact(count: 3).isIntact)
    }

    @Test("rows stored before keying verify unkeyed up to where keying began, and the keyed rows after them")
    func unkeyedPrefix() {
        let records = AuditFixtures.chain(count: 10, unkeyedThrough: 4)
        #expect(records.map(\.version) == Array(repeating: .unkeyed, count: 4) + Array(repeating: .keyed, count: 6))
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 10, key: AuditFixtures.key, unkeyedThrough: 4) == .intact(count: 10))
        let allUnkeyed = AuditFixtures.chain(count: 4, unkeyedThrough: 4)
        #expect(AuditChainVerifier.verify(allUnkeyed, highestIssuedSequence: 4, key: AuditFixtures.key, unkeyedThrough: 4) == .intact(count: 4))
    }

    @Test("a row edited and the chain after it recomputed without the key is detected")
    func recomputedWithoutKey() {
        let original = AuditFixtures.chain(count: 10, unkeyedThrough: 2)
        // The attacker edits row 6 and rebuilds every hash from there the only way they can: unkeyed.
        var forged = Array(original.prefix(5))
        for record in original.dropFirst(5) {
            var entry = record.entry
            if record.sequence == 6 { entry.detail = "nothing happened" }
            forged.append(AuditFixtures.unkeyedRecord(sequence: record.sequence, entry: entry, previousHash: forged[forged.count - 1].hash))
        }
        #expect(
            AuditChainVerifier.verify(forged, highestIssuedSequence: 10, key: AuditFixtures.key, unkeyedThrough: 2)
                == .broken(sequence: 6, reason: .unkeyedRow(keyedAfter: 2))
        )
        // Rebuilding the whole trail unkeyed from row 1 fails at the first row written keyed.
        let everything = AuditFixtures.chain(count: 10, unkeyedThrough: 10)
        #expect(
            AuditChainVerifier.verify(everything, highestIssuedSequence: 10, key: AuditFixtures.key, unkeyedThrough: 2)
                == .broken(sequence: 3, reason: .unkeyedRow(keyedAfter: 2))
        )
        // Or keyed, with any key but the real one.
        let guessed = AuditKey(SymmetricKey(data: [UInt8](repeating: 0xEE, count: 32)))
        var rekeyed = Array(original.prefix(5))
        for record in original.dropFirst(5) {
            rekeyed.append(
                AuditChain.seal(sequence: record.sequence, entry: record.entry, previousHash: rekeyed[rekeyed.count - 1].hash, key: guessed)
            )
        }
        #expect(
            AuditChainVerifier.verify(rekeyed, highestIssuedSequence: 10, key: AuditFixtures.key, unkeyedThrough: 2)
                == .broken(sequence: 6, reason: .hashMismatch)
        )
    }

    @Test("verifying with another key fails at the first keyed row")
    func wrongKey() {
        let records = AuditFixtures.chain(count: 5, unkeyedThrough: 2)
        let other = AuditKey(SymmetricKey(data: [UInt8](repeating: 1, count: 32)))
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 5, key: other, unkeyedThrough: 2) == .broken(sequence: 3, reason: .hashMismatch)
        )
    }

    @Test("the head is the last verified row, or the genesis before any")
    func head() {
        let records = AuditFixtures.chain(count: 3)
        var verifier = AuditChainVerifier(key: AuditFixtures.key)
        #expect(verifier.head == AuditAnchor(sequence: 0, hash: AuditChain.genesisHash))
        for record in records { verifier.feed(record) }
        #expect(verifier.head == AuditAnchor(sequence: 3, hash: records[2].hash))
    }

    @Test("an anchor is matched by the row at its sequence, also after later rows were appended")
    func anchorMatches() {
        let records = AuditFixtures.chain(count: 9)
        let anchor = AuditAnchor(sequence: 6, hash: records[5].hash)
        #expect(AuditChainVerifier.verify(records.prefix(6), highestIssuedSequence: 6, key: AuditFixtures.key, anchor: anchor) == .intact(count: 6))
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 9, key: AuditFixtures.key, anchor: anchor) == .intact(count: 9))
        let empty = AuditAnchor(sequence: 0, hash: AuditChain.genesisHash)
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 9, key: AuditFixtures.key, anchor: empty) == .intact(count: 9))
    }

    @Test("a trail rebuilt consistently (even with the key) no longer matches an anchor taken before")
    func anchorMismatch() {
        let records = AuditFixtures.chain(count: 9)
        let anchor = AuditAnchor(sequence: 6, hash: records[5].hash)
        var rebuilt: [AuditRecord] = []
        for record in records {
            var entry = record.entry
            if record.sequence == 2 { entry.detail = "rewritten" }
            let previousHash = rebuilt.last?.hash ?? AuditChain.genesisHash
            rebuilt.append(AuditChain.seal(sequence: record.sequence, entry: entry, previousHash: previousHash, key: AuditFixtures.key))
        }
        #expect(AuditChainVerifier.verify(rebuilt, highestIssuedSequence: 9, key: AuditFixtures.key) == .intact(count: 9))
        #expect(
            AuditChainVerifier.verify(rebuilt, highestIssuedSequence: 9, key: AuditFixtures.key, anchor: anchor)
                == .broken(sequence: 6, reason: .anchorMismatch)
        )
        let wrongEmpty = AuditAnchor(sequence: 0, hash: String(repeating: "a", count: 64))
        #expect(
            AuditChainVerifier.verify(records, highestIssuedSequence: 9, key: AuditFixtures.key, anchor: wrongEmpty)
                == .broken(sequence: 0, reason: .anchorMismatch)
        )
    }

    @Test("a trail cut off before the anchor, sequence counter included, is detected")
    func cutBeforeAnchor() {
        let records = AuditFixtures.chain(count: 9)
        let anchor = AuditAnchor(sequence: 8, hash: records[7].hash)
        let cut = Array(records.prefix(5))
        #expect(AuditChainVerifier.verify(cut, highestIssuedSequence: 5, key: AuditFixtures.key) == .intact(count: 5))
        #expect(
            AuditChainVerifier.verify(cut, highestIssuedSequence: 5, key: AuditFixtures.key, anchor: anchor)
                == .broken(sequence: 6, reason: .endsBeforeAnchor(anchor: 8))
        )
    }

    @Test("anchors parse from SEQUENCE:HASH and print back the same way")
    func anchorText() throws {
        let hash = String(repeating: "ab", count: 32)
        let anchor = try #require(AuditAnchor("42:\(hash.uppercased())"))
        #expect(anchor == AuditAnchor(sequence: 42, hash: hash))
        #expect(anchor.description == "42:\(hash)")
        #expect(AuditAnchor("0:\(AuditChain.genesisHash)")?.sequence == 0)
        for bad in [
            "", "42", ":\(hash)", "-1:\(hash)", "4 2:\(hash)", "42:\(hash.dropLast())", "42:\(hash)0", "42:\(hash.dropLast())g", "42:\(hash):1",
            "＄:\(hash)",
        ] {
            #expect(AuditAnchor(bad) == nil, "\(bad)")
        }
    }
}
