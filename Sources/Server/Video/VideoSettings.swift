import Persistence

/// What medvault does with a stored video in the background (``VideoJobWorker``): always a poster frame and a
/// thumbnail; with `MEDVAULT_TRANSCODE=on`, also a 720p H.264 MP4 for phones.
package struct VideoSettings: Sendable {
    /// `MEDVAULT_TRANSCODE` (`on`/`off`, default off): whether stored videos are transcoded for phones.
    package var transcode = false
    /// `MEDVAULT_MEDIA_JOBS` (default 1): how many video jobs one node runs at once; each is one ffmpeg process.
    package var concurrency = VideoSettings.defaultConcurrency

    /// One job at a time: a transcode keeps a core busy, and uploads must keep theirs.
    package static let defaultConcurrency = 1

    package init(transcode: Bool = false, concurrency: Int = VideoSettings.defaultConcurrency) {
        self.transcode = transcode
        self.concurrency = concurrency
    }

    /// The jobs every stored video gets.
    package var jobKinds: [MediaJobKind] { transcode ? [.poster, .transcode] : [.poster] }
}
