import Foundation
import Logging
import ObjectStorage
import Persistence

/// One sweep of what dead uploads left, as the server's timer runs it, for `medvault uploads sweep`: expired direct
/// upload sessions first (their staged objects and parts), then the upload intents older than the grace.
package struct AbandonedUploadSweep: Sendable {
    /// What one sweep removed.
    package struct Outcome: Sendable, Equatable {
        /// Direct upload sessions marked `expired`.
        package var expiredSessions: Int
        /// Abandoned uploads (intents) whose objects were removed.
        package var clearedIntents: Int
    }

    let sessions: UploadSessionSweeper
    let intents: UploadIntentSweeper

    /// The sweep of `database` and `store` with the configuration's grace.
    package init(
        configuration: AppConfiguration,
        database: any AppDatabase,
        store: any ObjectStore,
        now: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        let grace = configuration.uploadIntentGrace
        sessions = UploadSessionSweeper(database: database, store: store, grace: grace, now: now, logger: logger)
        intents = UploadIntentSweeper(database: database, store: store, grace: grace, now: now, logger: logger)
    }

    /// The pause between sweeps of the server's timer: the intents' (the grace, at most a minute).
    package var interval: TimeInterval { intents.interval }

    /// Runs both sweeps once; never throws (what could not be removed is logged and left for the next sweep).
    package func run() async -> Outcome {
        let expired = await sessions.sweep()
        return Outcome(expiredSessions: expired, clearedIntents: await intents.sweep())
    }
}
