/// Why no preview could be made of a file. The messages never name the file or what it holds, so they may be logged.
package struct PreviewError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case startFailed = "vips_start_failed"
        case notPreviewable = "not_previewable"
        case tooManyPixels = "too_many_pixels"
        case renderFailed = "render_failed"
    }

    private let code: Code

    /// libvips could not be started (its version does not match the headers, or a module failed to load).
    package static let startFailed = Self(code: .startFailed)
    /// No loader medvault previews recognises the bytes (SVG, a damaged file, a type libvips reads but we do not).
    package static let notPreviewable = Self(code: .notPreviewable)
    /// The image's header announces more than ``PreviewMaker/maximumPixels`` pixels: a decompression bomb is refused
    /// before any pixel is decoded.
    package static let tooManyPixels = Self(code: .tooManyPixels)
    /// libvips failed while decoding, shrinking or encoding.
    package static let renderFailed = Self(code: .renderFailed)

    /// A stable identifier for logs and metrics.
    package var identifier: String { code.rawValue }

    package var description: String { code.rawValue }
}
