import Synchronization

/// The number of open connections, shared by every connection's ``ConnectionGuard``, against a cap.
package final class ConnectionCounter: Sendable {
    /// The most connections ``admit()`` lets in at once.
    package let limit: Int
    private let count = Mutex(0)

    package init(limit: Int) {
        self.limit = limit
    }

    /// How many connections are open now.
    package var open: Int { count.withLock { $0 } }

    /// Counts one more connection, unless ``limit`` are open already.
    func admit() -> Bool {
        count.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    /// Forgets a connection that ``admit()`` let in.
    func release() {
        count.withLock { $0 -= 1 }
    }
}
