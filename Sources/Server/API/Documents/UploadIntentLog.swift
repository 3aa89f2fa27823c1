import Foundation
import Persistence

/// How an upload tells the database which keys it is about to store objects under, and forgets them once a failed
/// upload has removed what it stored (migration `0005_upload_intents`; ``UploadIntentSweeper`` removes what a dead
/// upload leaves).
///
/// Closures rather than the database itself, so that ``FileUpload`` can be tested without one.
struct UploadIntentLog: Sendable {
    /// Records the intent for a key; throws if it could not be recorded (then nothing may be stored).
    let record: @Sendable (_ key: String) async throws -> Void
    /// Forgets the intents of keys whose objects are gone; best effort, since the sweep removes what stays.
    let forget: @Sendable (_ keys: [String]) async -> Void

    /// The log in `database`, dated by `now`.
    static func database(_ database: any UploadIntents, now: @escaping @Sendable () -> Date) -> UploadIntentLog {
        UploadIntentLog(
            record: { key in try await database.recordUploadIntent(key: key, at: now()) },
            forget: { keys in try? await database.deleteUploadIntents(keys: keys) }
        )
    }
}
