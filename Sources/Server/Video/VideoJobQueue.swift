import Documents
import Foundation
import Logging
import Persistence

/// Enqueues the background jobs of newly stored videos (``VideoSettings/jobKinds``): the one call every way a
/// document arrives makes after its rows are committed (an API upload, a completed direct upload, `medvault import`).
///
/// Documents that are not videos are ignored. A failure to enqueue does not undo the stored upload: it is logged (with
/// the document's id only) and the video simply has no poster until it is uploaded again.
package struct VideoJobQueue: Sendable {
    let database: any MediaJobs
    /// The jobs a video gets; none when ffmpeg is not installed.
    let kinds: [MediaJobKind]
    let now: @Sendable () -> Date

    /// A queue for `settings`; enqueues nothing when ffmpeg is not installed (`ffmpegInstalled`, looked up on `PATH`
    /// when nil), since no worker could run the jobs.
    package init(
        database: any MediaJobs,
        settings: VideoSettings,
        ffmpegInstalled: Bool? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.database = database
        kinds = (ffmpegInstalled ?? (FFmpeg.locate() != nil)) ? settings.jobKinds : []
        self.now = now
    }

    /// Enqueues the jobs of every video among `records`.
    package func enqueue(for records: [DocumentRecord], logger: Logger) async {
        guard !kinds.isEmpty else { return }
        for record in records where AllowedType(mimeType: record.contentType)?.kind == .video {
            do {
                try await database.enqueueMediaJobs(documentID: record.id, kinds: kinds, at: now())
            } catch {
                logger.warning("a stored video's jobs could not be enqueued", metadata: ["documentId": "\(record.apiID)", "error": "\(error)"])
            }
        }
    }
}
