import Foundation

/// One row of `media_jobs` (migration `0018_media_jobs`): work the server does in the background on a stored video.
package struct MediaJob: Sendable, Equatable {
    /// The video the job works on.
    package var documentID: UUID
    /// What the job makes.
    package var kind: MediaJobKind
    /// Where the job is in its life.
    package var state: MediaJobState
    /// How many times a worker has claimed it, the running attempt included.
    package var attempts: Int
    /// The worker holding it while it runs; nil otherwise.
    package var owner: String?

    package init(documentID: UUID, kind: MediaJobKind, state: MediaJobState, attempts: Int, owner: String?) {
        self.documentID = documentID
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.owner = owner
    }
}

/// What a media job makes; the raw value is the `kind` column's.
package enum MediaJobKind: String, Sendable, CaseIterable, Codable {
    /// The poster frame (`derived/{id}/poster`) and the thumbnail (`derived/{id}/thumbnail`), both JPEG.
    case poster
    /// The phone rendition (`derived/{id}/mobile`): 720p H.264/AAC MP4, made when `MEDVAULT_TRANSCODE=on`.
    case transcode
}

/// Where a media job is in its life; the raw value is the `state` column's.
package enum MediaJobState: String, Sendable, Codable {
    /// Waiting for a worker (new, or failed and waiting to be retried).
    case pending
    /// Claimed by a worker whose lease has not expired.
    case running
    /// Made and stored.
    case done
    /// Gave up after the last attempt.
    case failed
}
