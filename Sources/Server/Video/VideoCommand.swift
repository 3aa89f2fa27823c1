import Foundation

/// The ffmpeg command lines of the video jobs: pure values, so tests can read them and nothing user-supplied (a file
/// name, a key, metadata) can ever reach an argument. Paths are the job's own temporary files.
///
/// Every command reads one local file with the demuxer its sniffed type names (never ffmpeg's own probing, which
/// would follow an HLS playlist or a concat list hidden in the bytes) and allows the `file` protocol only.
enum VideoCommand {
    /// Where the poster frame is taken from: about a second in, past a fade from black.
    static let posterSeekSeconds = "1"
    /// The poster's long edge at most (as the phone previews of images).
    static let posterEdge = 1280
    /// The thumbnail's long edge at most (as the image thumbnails).
    static let thumbnailEdge = 256
    /// The phone rendition's short edge at most (720p); smaller videos keep their size.
    static let mobileEdge = 720

    /// The demuxer for a sniffed content type: MP4 and QuickTime share one, WebM is Matroska; nil for anything else.
    static func demuxer(for contentType: String) -> String? {
        switch contentType {
        case "video/mp4", "video/quicktime": "mov"
        case "video/webm": "matroska"
        default: nil
        }
    }

    /// The options every command starts with: no prompt, errors only, the input's demuxer and protocols fixed.
    private static func input(_ path: String, demuxer: String, seek: Bool) -> [String] {
        ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-protocol_whitelist", "file", "-f", demuxer]
            + (seek ? ["-ss", posterSeekSeconds] : []) + ["-i", path]
    }

    /// One frame (at ``posterSeekSeconds``, or the first with `seek` false) written twice, as a JPEG poster and a JPEG
    /// thumbnail, each scaled down (never up) to fit its edge with its aspect kept. A video shorter than the seek makes
    /// no file at all, which the caller detects.
    static func poster(input path: String, demuxer: String, seek: Bool, poster: String, thumbnail: String) -> [String] {
        let scaled = { (edge: Int) in "scale='min(\(edge),iw)':'min(\(edge),ih)':force_original_aspect_ratio=decrease" }
        return input(path, demuxer: demuxer, seek: seek) + [
            "-filter_complex", "[0:v:0]split=2[p][t];[p]\(scaled(posterEdge))[poster];[t]\(scaled(thumbnailEdge))[thumbnail]",
            "-map", "[poster]", "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", "-q:v", "3", poster,
            "-map", "[thumbnail]", "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", "-q:v", "4", thumbnail,
        ]
    }

    /// The phone rendition: the first video and (if any) audio stream, the short edge scaled down to ``mobileEdge``
    /// (never up, even sizes as H.264 needs), H.264 and AAC in MP4 with the index at the front (`+faststart`) so a
    /// player can start before the whole file arrives. Metadata is not copied.
    static func transcode(input path: String, demuxer: String, output: String) -> [String] {
        let short = "trunc(min(\(mobileEdge),%@)/2)*2"
        let width = "if(gte(iw,ih),-2,\(short.replacingOccurrences(of: "%@", with: "iw")))"
        let height = "if(gte(iw,ih),\(short.replacingOccurrences(of: "%@", with: "ih")),-2)"
        return input(path, demuxer: demuxer, seek: false) + [
            "-map", "0:v:0", "-map", "0:a:0?", "-map_metadata", "-1",
            "-vf", "scale=w='\(width)':h='\(height)'",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4", output,
        ]
    }
}
