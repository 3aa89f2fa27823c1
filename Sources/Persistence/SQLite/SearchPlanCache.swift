import Synchronization

/// Which way each recent filename search was answered (trigram index or key-index walk), kept until a document
/// is added or removed.
///
/// Choosing counts the term's trigram-index candidates, up to ``SQLiteDatabase/searchIndexCandidateLimit`` + 1.
/// For a common term that count costs more than the walk it decides on (about 1.2 ms of 2,001 phrase matches
/// against 0.4 ms for a page), and paging through a search, or repeating it, asks the same question again. The
/// answer depends only on which file names exist, so it stays right until a document is inserted or deleted
/// (archiving keeps the name); either answer gives the same rows, so a stale one could only cost time.
final class SearchPlanCache: Sendable {
    /// The most terms kept; when full, all are forgotten and counted afresh.
    static let capacity = 256

    private struct State {
        /// Bumped by every change to the set of file names; an answer counted under an older one is not kept.
        var generation: UInt64 = 0
        var favoured: [String: Bool] = [:]
    }

    private let state = Mutex(State())

    /// The generation to pass to ``remember(_:favoured:generation:)`` for a count that starts now.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Whether the trigram index was favoured for `matchExpression`, if known.
    func favoured(_ matchExpression: String) -> Bool? {
        state.withLock { $0.favoured[matchExpression] }
    }

    /// Keeps the answer counted for `matchExpression`, unless documents changed since `generation` was read.
    func remember(_ matchExpression: String, favoured: Bool, generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.favoured.count >= Self.capacity { state.favoured.removeAll() }
            state.favoured[matchExpression] = favoured
        }
    }

    /// Forgets every answer: a document was inserted or deleted (called by ``Invalidator`` after the commit).
    func documentsChanged() {
        state.withLock { state in
            state.generation &+= 1
            state.favoured.removeAll()
        }
    }
}
