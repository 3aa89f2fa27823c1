import Foundation
import Logging
import Persistence
import ServiceLifecycle

/// Runs a periodic job now and then every ``interval`` until the application shuts down, each round under the job's
/// lease (``JobLeases``), so that with several nodes on one PostgreSQL database a round runs on one node only.
///
/// A node that finds the lease taken skips the round: another node is doing the work. A round that cannot ask for
/// the lease (the database is down) is logged and retried at the next tick. Every timer of the server runs through
/// this type, so a new one only supplies its ``PeriodicJob`` and its work.
struct PeriodicJobRunner: Service, CustomStringConvertible {
    let job: PeriodicJob
    /// The pause between rounds.
    let interval: TimeInterval
    let leases: any JobLeases
    let logger: Logger
    /// One round of the job; never throws, since a failed round only waits for the next.
    let work: @Sendable () async -> Void

    /// Runs ``runOnce()`` now, then every ``interval``, until graceful shutdown.
    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await runOnce()
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }

    /// One round: the work if this node gets the lease. Returns whether it ran.
    @discardableResult
    func runOnce() async -> Bool {
        do {
            return try await leases.withJobLease(job, work) != nil
        } catch {
            logger.warning("a periodic job could not take its lease; it tries again later", metadata: ["job": "\(job)", "error": "\(error)"])
            return false
        }
    }

    /// How ServiceLifecycle's logs name it (the default would print every property).
    var description: String { "PeriodicJobRunner(\(job), every \(interval) s)" }
}
