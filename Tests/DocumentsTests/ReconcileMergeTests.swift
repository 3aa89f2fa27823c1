import Foundation
import Testing

@testable import Documents

/// The reconcile merge-join on synthetic key-sorted streams.
@Suite struct ReconcileMergeTests {
    static let written = Date(timeIntervalSince1970: 1_800_000_000)

    static func object(_ key: String, _ size: Int64 = 10) -> StoredObjectEntry {
        StoredObjectEntry(key: key, size: size, lastModified: written)
    }

    static func row(_ key: String, _ size: Int64 = 10) -> IndexedEntry {
        IndexedEntry(key: key, kind: .document(id: "id-\(key)", size: size))
    }

    static func stream<Element: Sendable>(_ elements: [Element]) -> AsyncThrowingStream<Element, any Error> {
        AsyncThrowingStream { continuation in
            for element in elements { continuation.yield(element) }
            continuation.finish()
        }
    }

    static func merge(objects: [StoredObjectEntry], rows: [IndexedEntry]) async throws -> ([ReconcileFinding], ReconcileTally) {
        var findings: [ReconcileFinding] = []
        let tally = try await ReconcileMerge.run(store: stream(objects), index: stream(rows)) { findings.append($0) }
        return (findings, tally)
    }

    @Test func agreeingSidesFindNothing() async throws {
        let keys = ["archived/patients/P1/other/a", "patients/P1/other/a", "patients/P2/other/b"]
        let (findings, tally) = try await Self.merge(objects: keys.map { Self.object($0) }, rows: keys.map { Self.row($0) })
        #expect(findings.isEmpty)
        var expected = ReconcileTally()
        expected.objects = 3
        expected.rows = 3
        #expect(tally == expected)
        #expect(!tally.foundSomething)
    }

    @Test func reportsOrphansMissingObjectsAndSizeMismatchesInKeyOrder() async throws {
        let objects = [Self.object("a"), Self.object("c", 7), Self.object("d"), Self.object("f")]
        let rows = [Self.row("b"), Self.row("c", 8), Self.row("d"), Self.row("e"), Self.row("g")]
        let (findings, tally) = try await Self.merge(objects: objects, rows: rows)
        #expect(
            findings == [
                .orphan(Self.object("a")),
                .missingObject(key: "b", documentID: "id-b", indexedSize: 10),
                .sizeMismatch(key: "c", documentID: "id-c", indexedSize: 8, storedSize: 7),
                .missingObject(key: "e", documentID: "id-e", indexedSize: 10),
                .orphan(Self.object("f")),
                .missingObject(key: "g", documentID: "id-g", indexedSize: 10),
            ]
        )
        #expect(tally.objects == 4)
        #expect(tally.rows == 5)
        #expect(tally.orphans == 2)
        #expect(tally.missing == 3)
        #expect(tally.sizeMismatches == 1)
        #expect(tally.foundSomething)
    }

    @Test func emptySidesMakeEveryEntryAFinding() async throws {
        let onlyObjects = try await Self.merge(objects: [Self.object("a"), Self.object("b")], rows: [])
        #expect(onlyObjects.0.map(\.key) == ["a", "b"])
        #expect(onlyObjects.1.orphans == 2)
        let onlyRows = try await Self.merge(objects: [], rows: [Self.row("a"), Self.row("b")])
        #expect(onlyRows.1.missing == 2)
        let nothing = try await Self.merge(objects: [], rows: [])
        #expect(nothing.0.isEmpty)
    }

    /// Keys a locale collation orders differently from UTF-8 bytes: upper case before lower case, `Z` before `_`
    /// before `a`, ASCII before `é`; a byte-ordered index matches the store exactly.
    static let byteOrdered = [
        "patients/P1/other/B.pdf", "patients/P1/other/Z.pdf", "patients/P1/other/_x.pdf", "patients/P1/other/a.pdf",
        "patients/P1/other/z.pdf", "patients/P1/other/é.pdf",
    ]

    @Test func matchesKeysInByteOrderThatALocaleWouldReorder() async throws {
        #expect(Self.byteOrdered == Self.byteOrdered.sorted(by: ByteOrder.precedes))
        let (findings, _) = try await Self.merge(objects: Self.byteOrdered.map { Self.object($0) }, rows: Self.byteOrdered.map { Self.row($0) })
        #expect(findings.isEmpty)
    }

    @Test func refusesAnIndexInLocaleOrder() async throws {
        let localeOrdered = Self.byteOrdered.sorted { $0.lowercased().localizedStandardCompare($1.lowercased()) == .orderedAscending }
        #expect(localeOrdered != Self.byteOrdered)
        await #expect(throws: ReconcileOrderError(side: .index)) {
            try await Self.merge(objects: Self.byteOrdered.map { Self.object($0) }, rows: localeOrdered.map { Self.row($0) })
        }
        await #expect(throws: ReconcileOrderError(side: .store)) {
            try await Self.merge(objects: localeOrdered.map { Self.object($0) }, rows: Self.byteOrdered.map { Self.row($0) })
        }
    }

    @Test func canonicallyEquivalentKeysAreDifferentKeys() async throws {
        let composed = "patients/P1/other/\u{E9}.pdf"
        let decomposed = "patients/P1/other/e\u{301}.pdf"
        #expect(composed == decomposed)  // Swift's String equality, which S3 does not share.
        let (findings, _) = try await Self.merge(objects: [Self.object(decomposed)], rows: [Self.row(composed)])
        #expect(findings == [.orphan(Self.object(decomposed)), .missingObject(key: composed, documentID: "id-\(composed)", indexedSize: 10)])
    }

    @Test func ignoresObjectsThatAreNotDocuments() async throws {
        let variant = DerivedKey(documentID: UUID(), variant: .thumbnail).rawValue
        let objects = [variant, "patients/P1/other/a", "quarantine/parts/u1/1", "quarantine/u1", "temp/x"].map { Self.object($0) }
        let (findings, tally) = try await Self.merge(objects: objects, rows: [Self.row("patients/P1/other/a")])
        #expect(findings.isEmpty)
        #expect(tally.objects == 1)
        #expect(!ReconcileScope.includes("temp/x"))
        #expect(ReconcileScope.includes("temporary/x"))
    }

    @Test func uploadsInProgressAreNeverFindings() async throws {
        let pending = [IndexedEntry(key: "a", kind: .uploadInProgress), IndexedEntry(key: "b", kind: .uploadInProgress)]
        let (findings, tally) = try await Self.merge(objects: [Self.object("a", 3)], rows: pending)
        #expect(findings.isEmpty)
        #expect(tally.rows == 0)
        #expect(tally.objects == 1)
    }

    @Test func refusesRepeatedKeys() async throws {
        await #expect(throws: ReconcileOrderError(side: .index)) {
            try await Self.merge(objects: [], rows: [Self.row("a"), Self.row("a")])
        }
    }

    /// A key whose byte order is its number's order (fixed-width hexadecimal).
    static func key(number: Int) -> String {
        let hex = String(number, radix: 16)
        return "patients/P1/other/" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }

    /// A long run holds only the current entries: the streams are generated lazily and never collected.
    @Test func mergesLongStreamsLazily() async throws {
        let count = 100_000
        let objects = (0..<count).async.map { Self.object(Self.key(number: $0)) }
        let rows = (0..<count).async.compactMap { $0 % 1000 == 0 ? nil : Self.row(Self.key(number: $0)) }
        var orphans = 0
        let tally = try await ReconcileMerge.run(store: objects, index: rows) { _ in orphans += 1 }
        #expect(orphans == count / 1000)
        #expect(tally.objects == count)
        #expect(tally.rows == count - count / 1000)
    }
}

/// A synchronous sequence as an async one that may throw, the shape the merge takes.
private struct AsyncRange: AsyncSequence {
    typealias Element = Int
    typealias Failure = any Error
    let range: Range<Int>

    struct AsyncIterator: AsyncIteratorProtocol {
        var next: Int
        let end: Int
        mutating func next() async throws -> Int? {
            guard next < end else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(next: range.lowerBound, end: range.upperBound) }
}

extension Range<Int> {
    fileprivate var async: AsyncRange { AsyncRange(range: self) }
}
