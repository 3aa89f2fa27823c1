import Foundation
import Persistence
import Testing

@testable import Server

@Suite("Import idempotency: a source is skipped only when the same bytes came from it before")
struct ImportDecisionTests {
    static let digestA = String(repeating: "a", count: 64)
    static let digestB = String(repeating: "b", count: 64)

    static func earlier(_ sha256: String) -> DocumentImport {
        DocumentImport(source: "/old/a.pdf", sha256: sha256, documentID: UUID(), key: "patients/p1/lab-results/x.pdf", importedAt: Date())
    }

    @Test("a source never imported is imported without hashing it first")
    func neverImported() {
        #expect(ImportDecision(previous: []) == .importFile)
        #expect(ImportDecision(previous: [], sha256: Self.digestA) == .importFile)
    }

    @Test("a source imported before is hashed, then skipped when its bytes are the same")
    func sameBytes() {
        let earlier = Self.earlier(Self.digestA)
        #expect(ImportDecision(previous: [earlier]) == .hashFirst)
        #expect(ImportDecision(previous: [earlier], sha256: Self.digestA) == .skip(earlier))
        #expect(ImportDecision(previous: [earlier], sha256: Self.digestA.uppercased()) == .skip(earlier))
    }

    @Test("a changed file at the same source is imported anew; an earlier version is recognised too")
    func changedBytes() {
        let first = Self.earlier(Self.digestA)
        let second = Self.earlier(Self.digestB)
        #expect(ImportDecision(previous: [first], sha256: Self.digestB) == .importFile)
        #expect(ImportDecision(previous: [first, second], sha256: Self.digestB) == .skip(second))
    }
}
