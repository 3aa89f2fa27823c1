import Foundation
import Logging
import ObjectStorage
import Persistence
import ServiceLifecycle

/// Runs the video jobs of ``MediaJobs`` beside the server: ``VideoSettings/concurrency`` loops, each claiming one job
/// at a time, so at most that many ffmpeg processes run on this node. Every node runs its own worker; the claim is
/// atomic in the database, so a job runs on one of them.
///
/// A failed attempt is retried after a back-off that grows with each attempt, up to ``maxAttempts``; then the job stays
/// failed (the video is still served, only without a poster or phone rendition). A job whose document is gone is done.
struct VideoJobWorker: Service, CustomStringConvertible {
    let database: any AppDatabase
    let store: any ObjectStore
    let renditions: VideoRenditions
    let concurrency: Int
    /// Who claims: unique per process, so a restarted node does not mistake its old leases for its own.
    var owner = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.lowercased())"
    /// How long an idle loop waits before asking for work again.
    var idlePause: Duration = .seconds(1)
    let now: @Sendable () -> Date
    let logger: Logger

    /// Attempts before a job is failed for good.
    static let maxAttempts = 3
    /// The wait before the second attempt; each later one waits this times the attempts made.
    static let retryPause: TimeInterval = 60

    /// Runs ``concurrency`` loops until graceful shutdown; a running ffmpeg is killed then.
    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for _ in 0..<max(concurrency, 1) {
                    group.addTask {
                        while !Task.isCancelled {
                            if await runNext() { continue }
                            try? await Task.sleep(for: idlePause)
                        }
                    }
                }
            }
        }
    }

    /// Claims and runs one job; returns whether there was one (or the queue could not be asked: false, so the loop
    /// pauses before asking again).
    @discardableResult
    func runNext() async -> Bool {
        let job: MediaJob
        do {
            // Leased for the longest kind: the job's kind is known only once it is claimed.
            let lease = renditions.lease(for: .transcode)
            guard let claimed = try await database.claimMediaJob(owner: owner, at: now(), lease: lease, maxAttempts: Self.maxAttempts) else {
                return false
            }
            job = claimed
        } catch {
            // Shutting down cancels the claim in flight: that is not a failure worth a warning.
            if !Task.isCancelled {
                logger.warning("video jobs could not be claimed; trying again later", metadata: ["error": "\(error)"])
            }
            return false
        }
        let metadata: Logger.Metadata = ["documentId": "\(job.documentID.uuidString.lowercased())", "job": "\(job.kind.rawValue)"]
        do {
            if let document = try await database.document(id: job.documentID) {
                let started = ContinuousClock.now
                try await renditions.make(job.kind, for: document, store: store, logger: logger)
                // A permanent delete or an erasure that ran meanwhile removed derived/{id}/ before these objects existed.
                if try await database.document(id: job.documentID) == nil {
                    await renditions.discard(job.kind, of: job.documentID, store: store, logger: logger)
                }
                logger.info("made a video rendition", metadata: metadata.merging(["elapsed": "\(ContinuousClock.now - started)"]) { $1 })
            }
            try await database.completeMediaJob(job, at: now())
        } catch {
            let retryAt = now().addingTimeInterval(Self.retryPause * Double(job.attempts))
            let state = try? await database.failMediaJob(job, retryAt: retryAt, at: now(), maxAttempts: Self.maxAttempts)
            logger.warning(
                "a video job failed",
                metadata: metadata.merging(["attempt": "\(job.attempts)", "state": "\(state?.rawValue ?? "unknown")", "error": "\(error)"]) { $1 }
            )
        }
        return true
    }

    var description: String { "VideoJobWorker(\(concurrency) at a time)" }
}

extension VideoJobWorker {
    /// The worker the configuration asks for, or nil (with a warning) when ffmpeg is not installed: videos are then
    /// stored and served without poster or phone rendition, and no job is enqueued (``VideoJobQueue``).
    init?(configuration: AppConfiguration, database: any AppDatabase, store: any ObjectStore, now: @escaping @Sendable () -> Date, logger: Logger) {
        guard let ffmpeg = FFmpeg.locate() else {
            logger.warning("ffmpeg is not installed: videos get no poster frame or phone rendition")
            return nil
        }
        self.init(
            database: database,
            store: store,
            renditions: VideoRenditions(ffmpeg: ffmpeg, scratchRoot: VideoRenditions.scratchRoot(in: configuration.dataDirectory)),
            concurrency: configuration.video.concurrency,
            now: now,
            logger: logger
        )
    }
}
