import Foundation
import Testing

@testable import Documents

/// Rows already marked missing by an earlier `reconcile --fix`, on synthetic streams: no finding again, whether their
/// object is still gone or has come back, and not counted as document rows.
@Suite struct ReconcileMarkedMissingTests {
    static func missing(_ key: String) -> IndexedEntry {
        IndexedEntry(key: key, kind: .markedMissing)
    }

    @Test func aMarkedRowWithoutItsObjectIsNoFinding() async throws {
        let (findings, tally) = try await ReconcileMergeTests.merge(
            objects: [ReconcileMergeTests.object("b")],
            rows: [Self.missing("a"), ReconcileMergeTests.row("b"), Self.missing("c")]
        )
        #expect(findings.isEmpty)
        #expect(tally.rows == 1)
        #expect(tally.objects == 1)
        #expect(!tally.foundSomething)
    }

    @Test func anObjectBackAtAMarkedRowsKeyIsNoOrphan() async throws {
        let (findings, tally) = try await ReconcileMergeTests.merge(
            objects: [ReconcileMergeTests.object("a", 3), ReconcileMergeTests.object("z")],
            rows: [Self.missing("a")]
        )
        #expect(findings == [.orphan(ReconcileMergeTests.object("z"))])
        #expect(tally.orphans == 1)
    }
}
