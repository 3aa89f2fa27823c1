import Foundation
import Logging
import ObjectStorage
import Persistence
import ServiceLifecycle

/// Removes what uploads that died left in storage: the objects (and incomplete multipart uploads) of upload intents
/// older than the grace, then the intents (migration `0005_upload_intents`).
///
/// It runs once at start-up, which finds what a crash of this process left, and then periodically, because with
/// several nodes the upload that died may have been another node's, and an intent younger than the grace at start-up
/// is not proof of anything yet. The grace (``AppConfiguration/uploadIntentGrace``) keeps it away from uploads still
/// in flight; an upload that outlives it anyway is refused when it commits (`upload_expired`), never left with rows
/// whose objects were swept.
///
/// Logs counts only: keys carry patient ids.
struct UploadIntentSweeper: Service, CustomStringConvertible {
    /// Intents claimed and cleared per round trip to the database.
    static let batchSize = 100
    /// The longest pause between sweeps (shorter when the grace is).
    static let maximumInterval: TimeInterval = 60

    let database: any UploadIntents
    let store: any ObjectStore
    /// How old an intent must be before its upload counts as dead.
    let grace: TimeInterval
    let now: @Sendable () -> Date
    let logger: Logger
    /// Expires direct upload sessions on the same timer (nil in tests of the intents alone).
    var sessions: UploadSessionSweeper? = nil

    /// Sweeps now, then every ``interval`` until the application shuts down.
    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sessions?.sweep()
                await sweep()
                try await Task.sleep(for: .seconds(interval))
            }
        }
    }

    /// How ServiceLifecycle's logs name it (the default would print every property).
    var description: String { "UploadIntentSweeper(grace: \(grace) s)" }

    /// The pause between sweeps: the grace, at most a minute.
    var interval: TimeInterval { min(grace, Self.maximumInterval) }

    /// One sweep: claims the intents older than the grace, removes what their uploads stored, and forgets the intents
    /// whose removal succeeded; one that fails (storage down) stays claimed for the next sweep. Returns how many
    /// uploads were cleared; never throws, since a failed sweep only waits for the next.
    @discardableResult
    func sweep() async -> Int {
        var cleared = 0
        while true {
            let claimed: [String]
            do {
                claimed = try await database.abandonUploadIntents(startedBefore: now().addingTimeInterval(-grace), at: now(), limit: Self.batchSize)
            } catch {
                logger.warning("abandoned-upload sweep could not read the upload intents", metadata: ["error": "\(error)"])
                break
            }
            var removed: [String] = []
            for key in claimed {
                do {
                    try await store.removeAbandonedUpload(key: key, logger: logger)
                    removed.append(key)
                } catch {
                    logger.warning("abandoned-upload sweep could not remove an object; it tries again later", metadata: ["error": "\(error)"])
                }
            }
            do {
                try await database.deleteUploadIntents(keys: removed)
            } catch {
                logger.warning("abandoned-upload sweep could not forget the intents it cleared", metadata: ["error": "\(error)"])
                break
            }
            cleared += removed.count
            if claimed.count < Self.batchSize || removed.count < claimed.count { break }
        }
        if cleared > 0 {
            logger.info("removed abandoned uploads", metadata: ["uploads": "\(cleared)"])
        }
        return cleared
    }
}
