import Testing

@testable import Audit

@Suite("AuditChainVerifier")
struct AuditChainVerifierTests {
    @Test("an untouched chain is intact")
    func intact() {
        let records = AuditFixtures.chain(count: 12)
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 12) == .intact(count: 12))
    }

    @Test("an empty trail with nothing issued is intact")
    func empty() {
        #expect(AuditChainVerifier.verify([], highestIssuedSequence: 0) == .intact(count: 0))
    }

    @Test("an edited row is reported at its sequence")
    func editedRow() {
        var records = AuditFixtures.chain(count: 10)
        records[4].entry.outcome = .success
        records[4].entry.detail = "nothing to see"
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 10) == .broken(sequence: 5, reason: .hashMismatch))
    }

    @Test("an edited row whose hash was recomputed breaks the next link")
    func resealedRow() {
        var records = AuditFixtures.chain(count: 10)
        var edited = records[4].entry
        edited.actorID = "someone-else"
        records[4] = AuditChain.seal(sequence: 5, entry: edited, previousHash: records[3].hash)
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 10) == .broken(sequence: 6, reason: .previousHashMismatch))
    }

    @Test("a removed middle row is a gap at the missing sequence")
    func removedMiddleRow() {
        var records = AuditFixtures.chain(count: 10)
        records.remove(at: 6)
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 10) == .broken(sequence: 7, reason: .missingRows(resumesAt: 8)))
    }

    @Test("removed first rows are a gap at sequence 1")
    func removedHead() {
        let records = Array(AuditFixtures.chain(count: 5).dropFirst(2))
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 5) == .broken(sequence: 1, reason: .missingRows(resumesAt: 3)))
    }

    @Test("removed last rows are only visible against the highest issued sequence")
    func removedTail() {
        let records = Array(AuditFixtures.chain(count: 10).prefix(8))
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 8) == .intact(count: 8))
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 10) == .broken(sequence: 9, reason: .missingTail(highestIssued: 10)))
        #expect(AuditChainVerifier.verify([], highestIssuedSequence: 3) == .broken(sequence: 1, reason: .missingTail(highestIssued: 3)))
    }

    @Test("a counter below the rows present is reported")
    func counterBehind() {
        let records = AuditFixtures.chain(count: 4)
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 2) == .broken(sequence: 4, reason: .counterBehind(highestIssued: 2)))
    }

    @Test("a duplicated row is out of order")
    func duplicated() {
        var records = AuditFixtures.chain(count: 4)
        records.insert(records[1], at: 2)
        #expect(AuditChainVerifier.verify(records, highestIssuedSequence: 4) == .broken(sequence: 3, reason: .outOfOrder(found: 2)))
    }

    @Test("a first row not linked to the genesis hash is reported")
    func badGenesisLink() {
        let entry = AuditFixtures.firstEntry
        let record = AuditChain.seal(sequence: 1, entry: entry, previousHash: String(repeating: "f", count: 64))
        #expect(AuditChainVerifier.verify([record], highestIssuedSequence: 1) == .broken(sequence: 1, reason: .previousHashMismatch))
    }

    @Test("feeding stops being useful after the first break, which is kept")
    func firstBreakWins() {
        var records = AuditFixtures.chain(count: 6)
        records[1].hash = String(repeating: "a", count: 64)
        records[4].entry.detail = "also edited"
        var verifier = AuditChainVerifier()
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
}
