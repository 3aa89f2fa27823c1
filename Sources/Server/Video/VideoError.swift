/// Why a video job could not make its rendition. The worker logs the code and retries; nothing here carries a file
/// name, a key or ffmpeg's output (which may repeat the video's metadata).
struct VideoError: Error, Equatable, CustomStringConvertible {
    private enum Code: String {
        case notStarted = "ffmpeg_not_started"
        case failed = "ffmpeg_failed"
        case timedOut = "ffmpeg_timed_out"
        case noFrame = "video_no_frame"
        case unsupported = "video_type_unsupported"
        case scratch = "video_scratch_io"
    }

    private let code: Code
    /// ffmpeg's exit status, when it ended by itself with one.
    let status: Int32?

    private init(_ code: Code, status: Int32? = nil) {
        self.code = code
        self.status = status
    }

    /// ffmpeg could not be started (missing, not executable).
    static let notStarted = VideoError(.notStarted)
    /// ffmpeg ran out of its time and was killed.
    static let timedOut = VideoError(.timedOut)
    /// ffmpeg produced no picture: a video without a decodable frame.
    static let noFrame = VideoError(.noFrame)
    /// The document is not a video type ffmpeg is allowed to read here.
    static let unsupported = VideoError(.unsupported)
    /// The temporary files could not be created, written or read.
    static let scratch = VideoError(.scratch)

    /// ffmpeg ended with a non-zero `status` (or was killed by a signal).
    static func failed(status: Int32) -> VideoError { VideoError(.failed, status: status) }

    var description: String { status.map { "\(code.rawValue) (exit \($0))" } ?? code.rawValue }
}
