/// Compares the store with the index as a merge-join of two key-sorted streams, in constant memory.
///
/// The store's listing (S3 `ListObjectsV2` pages, which are in UTF-8 byte order) and the index's rows (ordered by a
/// binary collation) advance together: each step looks at the smaller current key. A key only the store has is an
/// orphan, a document row only the index has is a missing object, a key both have is compared by size. Only the two
/// current entries are held, so a million objects take the memory of two.
///
/// - important: both sides must be in UTF-8 byte order; a side that goes backwards throws ``ReconcileOrderError``
///   rather than report false findings.
package enum ReconcileMerge {
    /// Runs the merge and hands each finding to `report` as it is found; returns the tally.
    ///
    /// Store objects outside ``ReconcileScope`` are skipped. Upload intents in progress match their object, or
    /// nothing, without a finding.
    package static func run<Store: AsyncSequence<StoredObjectEntry, any Error>, Index: AsyncSequence<IndexedEntry, any Error>>(
        store: Store,
        index: Index,
        report: (ReconcileFinding) async throws -> Void
    ) async throws -> ReconcileTally {
        var tally = ReconcileTally()
        var objects = OrderedCursor(store.filter { ReconcileScope.includes($0.key) }.makeAsyncIterator(), side: .store, key: \.key)
        var rows = OrderedCursor(index.makeAsyncIterator(), side: .index, key: \.key)
        var object = try await objects.next()
        var row = try await rows.next()
        if object != nil { tally.objects += 1 }
        while let step = Step(object: object, row: row) {
            if let finding = step.finding(object: object, row: row) {
                tally.count(finding)
                try await report(finding)
            }
            if step != .objectOnly {
                if case .document = row?.kind { tally.rows += 1 }
                row = try await rows.next()
            }
            if step != .rowOnly {
                object = try await objects.next()
                if object != nil { tally.objects += 1 }
            }
        }
        return tally
    }
}

/// Which side(s) of the merge the smaller current key belongs to.
private enum Step: Equatable {
    case objectOnly
    case rowOnly
    case both

    /// The step for the current entries; nil when both sides are exhausted.
    init?(object: StoredObjectEntry?, row: IndexedEntry?) {
        switch (object, row) {
        case (nil, nil): return nil
        case (.some, nil): self = .objectOnly
        case (nil, .some): self = .rowOnly
        case (let object?, let row?):
            if ByteOrder.precedes(object.key, row.key) {
                self = .objectOnly
            } else if ByteOrder.precedes(row.key, object.key) {
                self = .rowOnly
            } else {
                self = .both
            }
        }
    }

    /// What this step finds; only called with the entries `init` saw.
    func finding(object: StoredObjectEntry?, row: IndexedEntry?) -> ReconcileFinding? {
        switch (self, object, row) {
        case (.objectOnly, let object?, _): .orphan(object)
        case (.rowOnly, _, let row?): row.missingFinding
        case (.both, let object?, let row?): row.compare(with: object)
        default: nil
        }
    }
}

extension IndexedEntry {
    /// What it means that the store has no object for this entry.
    fileprivate var missingFinding: ReconcileFinding? {
        switch kind {
        case .document(let id, let size): .missingObject(key: key, documentID: id, indexedSize: size)
        case .uploadInProgress, .markedMissing: nil
        }
    }

    /// What it means that the store has `stored` at this entry's key.
    fileprivate func compare(with stored: StoredObjectEntry) -> ReconcileFinding? {
        switch kind {
        case .document(let id, let size) where size != stored.size:
            .sizeMismatch(key: key, documentID: id, indexedSize: size, storedSize: stored.size)
        case .document, .uploadInProgress, .markedMissing: nil
        }
    }
}
