import Documents
import Foundation
import Logging
import ObjectStorage
import Persistence

/// Makes a stored video's renditions with ffmpeg and stores them at the document's derived keys (``DerivedKey``):
/// the poster frame and thumbnail (JPEG) for a ``MediaJobKind/poster`` job, the phone MP4 for a
/// ``MediaJobKind/transcode`` job. Each job works in its own ``VideoScratch``, removed when it ends however it ends.
struct VideoRenditions: Sendable {
    let ffmpeg: FFmpeg
    /// Where jobs make their scratch directories: `tmp/video/` under the data directory.
    let scratchRoot: URL
    /// How long one ffmpeg run for a poster may take before it is killed.
    var posterTimeout: Duration = .seconds(120)
    /// How long one ffmpeg run for a transcode may take (a 500 MiB video at `veryfast`, with room to spare).
    var transcodeTimeout: Duration = .seconds(3600)

    /// The scratch area under `dataDirectory`.
    static func scratchRoot(in dataDirectory: URL) -> URL {
        dataDirectory.appendingPathComponent("tmp", isDirectory: true).appendingPathComponent("video", isDirectory: true)
    }

    /// The longest a job of `kind` runs: what ``MediaJobs`` leases it for, with time to move the bytes.
    func lease(for kind: MediaJobKind) -> TimeInterval {
        let run = kind == .poster ? posterTimeout : transcodeTimeout
        return Double(run.components.seconds) * 2 + 600
    }

    /// Makes and stores the renditions of `kind` for `document`.
    func make(_ kind: MediaJobKind, for document: DocumentRecord, store: any ObjectStore, logger: Logger) async throws {
        guard let demuxer = VideoCommand.demuxer(for: document.contentType) else { throw VideoError.unsupported }
        let scratch = try VideoScratch(root: scratchRoot)
        defer { scratch.remove() }
        let input = try await scratch.download(key: document.key, from: store, to: scratch.file("input"), logger: logger)
        let messages = scratch.file("ffmpeg.log")
        switch kind {
        case .poster:
            let (poster, thumbnail) = (scratch.file("poster.jpg"), scratch.file("thumbnail.jpg"))
            for seek in [true, false] where !scratch.produced(poster) {
                let arguments = VideoCommand.poster(input: input.path, demuxer: demuxer, seek: seek, poster: poster.path, thumbnail: thumbnail.path)
                try await ffmpeg.run(arguments, timeout: posterTimeout, messages: messages, logger: logger)
            }
            guard scratch.produced(poster), scratch.produced(thumbnail) else { throw VideoError.noFrame }
            try await save(thumbnail, as: .thumbnail, of: document, contentType: "image/jpeg", scratch: scratch, into: store, logger: logger)
            try await save(poster, as: .poster, of: document, contentType: "image/jpeg", scratch: scratch, into: store, logger: logger)
        case .transcode:
            let mobile = scratch.file("mobile.mp4")
            let arguments = VideoCommand.transcode(input: input.path, demuxer: demuxer, output: mobile.path)
            try await ffmpeg.run(arguments, timeout: transcodeTimeout, messages: messages, logger: logger)
            guard scratch.produced(mobile) else { throw VideoError.noFrame }
            try await save(mobile, as: .mobile, of: document, contentType: "video/mp4", scratch: scratch, into: store, logger: logger)
        }
    }

    /// Erases what a job of `kind` stored for the document: for a document deleted or erased while its job ran, whose
    /// removal found no rendition to take with it. Missing objects are not an error; a failure is logged.
    func discard(_ kind: MediaJobKind, of documentID: UUID, store: any ObjectStore, logger: Logger) async {
        let variants: [DocumentVariant] = kind == .poster ? [.thumbnail, .poster] : [.mobile]
        for variant in variants {
            do {
                _ = try await store.erase(key: DerivedKey(documentID: documentID, variant: variant).rawValue, logger: logger)
            } catch {
                logger.warning("a rendition of a removed document could not be erased", metadata: ["error": "\(error)"])
            }
        }
    }

    private func save(
        _ file: URL,
        as variant: DocumentVariant,
        of document: DocumentRecord,
        contentType: String,
        scratch: VideoScratch,
        into store: any ObjectStore,
        logger: Logger
    ) async throws {
        let key = DerivedKey(documentID: document.id, variant: variant)
        try await scratch.upload(file, to: key.rawValue, contentType: contentType, store: store, logger: logger)
    }
}
