import Foundation
import Logging
import ObjectStorage
import Persistence

/// Expires direct upload sessions nobody completed: removes what each staged (its object, or its incomplete
/// multipart upload: AbortMultipartUpload on S3), then marks it `expired`, after which its URLs find nothing to add
/// to and completing it answers 409.
///
/// A `pending` session expires when its URLs do; a `verifying` one only a grace later, so that a completion still
/// running is left alone (its acceptance would fail anyway once the session is expired, and remove what it moved).
/// ``UploadIntentSweeper`` runs it on its timer, at start-up and then periodically. Logs counts only.
struct UploadSessionSweeper: Sendable {
    /// Sessions handled per round trip to the database.
    static let batchSize = 100

    let database: any UploadSessions
    let store: any ObjectStore
    /// How long after its expiry a `verifying` session is taken for dead.
    let grace: TimeInterval
    let now: @Sendable () -> Date
    let logger: Logger

    /// One sweep; returns how many sessions expired. Never throws: a session whose bytes cannot be removed (storage
    /// down) stays open for the next sweep.
    @discardableResult
    func sweep() async -> Int {
        let date = now()
        let sessions: [UploadSessionRecord]
        do {
            sessions = try await database.expiredUploadSessions(
                pendingBefore: date,
                verifyingBefore: date.addingTimeInterval(-grace),
                limit: Self.batchSize
            )
        } catch {
            logger.warning("upload session sweep could not read the sessions", metadata: ["error": "\(error)"])
            return 0
        }
        var expired = 0
        for session in sessions {
            do {
                try await store.removeDirectUpload(session, logger: logger)
                let changed = try await database.transitionUploadSession(
                    id: session.id,
                    from: [.pending, .verifying],
                    to: .expired,
                    rejectionCode: nil,
                    audit: nil
                )
                if changed != nil { expired += 1 }
            } catch {
                logger.warning("upload session sweep could not expire a session; it tries again later", metadata: ["error": "\(error)"])
            }
        }
        if expired > 0 {
            logger.info("expired direct upload sessions", metadata: ["sessions": "\(expired)"])
        }
        return expired
    }
}
