import Foundation
import Logging
import Persistence

/// Removes sessions past their absolute end (``SessionStore/deleteSessions(expiredBefore:)``): they can no longer be
/// used, and keeping them would only grow the table. Runs at start-up and then hourly as ``PeriodicJob/sessionPurge``.
struct SessionPurge: Sendable {
    /// The pause between purges: expired sessions are refused on use anyway, so the purge is only housekeeping.
    static let interval: TimeInterval = 3600

    let database: any SessionStore
    let now: @Sendable () -> Date
    let logger: Logger

    /// One purge; returns how many sessions it removed (0 when the database failed, which is logged).
    @discardableResult
    func purge() async -> Int {
        do {
            let removed = try await database.deleteSessions(expiredBefore: now())
            if removed > 0 {
                logger.info("removed expired sessions", metadata: ["sessions": "\(removed)"])
            }
            return removed
        } catch {
            logger.warning("session purge failed; it tries again later", metadata: ["error": "\(error)"])
            return 0
        }
    }
}
