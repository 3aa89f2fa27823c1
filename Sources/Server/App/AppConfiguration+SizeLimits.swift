import Configuration
import Documents

extension AppConfiguration {
    /// The largest value a `MEDVAULT_MAX_*_MB` variable may have (1 TiB): far above any upload medvault should
    /// take, and low enough that the byte count cannot overflow.
    static let maxSizeLimitMegabytes = 1_048_576

    /// The size clamd must be proven to scan whole at start-up (``Antivirus/start(configuration:logger:)``): the file
    /// limit. Proving the video limit (500 MiB by default) would stream that much through clamd at every start.
    var scanProbeBytes: Int { sizeLimits.overallMaxBytes }

    /// The limits uploads are held to and `/config` and the pages report: ``sizeLimits``, except that with scanning
    /// on (`MEDVAULT_CLAMD_URL`) a video may be no larger than ``scanProbeBytes``, so that no upload is larger than
    /// what clamd was proven to scan whole; a larger one is 413 `file_too_large` before anything is stored.
    package var enforcedSizeLimits: SizeLimits {
        antivirus == nil ? sizeLimits : sizeLimits.videosCapped(at: scanProbeBytes)
    }

    /// `MEDVAULT_MAX_IMAGE_MB`, `MEDVAULT_MAX_DOCUMENT_MB`, `MEDVAULT_MAX_FILE_MB` and `MEDVAULT_MAX_VIDEO_MB`
    /// (whole MiB) over ``SizeLimits/standard``.
    ///
    /// An image or document limit above the file limit is refused rather than silently capped: the operator who
    /// raised it expects it to take effect. The video limit stands apart from the file limit.
    static func loadSizeLimits(from reader: ConfigReader) throws(ConfigurationError) -> SizeLimits {
        let defaults = SizeLimits.standard
        func bytes(_ key: ConfigKey, _ name: String, _ fallback: Int) throws(ConfigurationError) -> Int {
            guard let text = reader.string(forKey: key).nonEmpty else { return fallback }
            guard let megabytes = Int(text), (1...maxSizeLimitMegabytes).contains(megabytes) else {
                throw .invalid("\(name) must be a whole number of MiB from 1 to \(maxSizeLimitMegabytes)")
            }
            return megabytes * 1024 * 1024
        }
        let limits = SizeLimits(
            imageMaxBytes: try bytes("medvault.max.image.mb", "MEDVAULT_MAX_IMAGE_MB", defaults.imageMaxBytes),
            documentMaxBytes: try bytes("medvault.max.document.mb", "MEDVAULT_MAX_DOCUMENT_MB", defaults.documentMaxBytes),
            overallMaxBytes: try bytes("medvault.max.file.mb", "MEDVAULT_MAX_FILE_MB", defaults.overallMaxBytes),
            videoMaxBytes: try bytes("medvault.max.video.mb", "MEDVAULT_MAX_VIDEO_MB", defaults.videoMaxBytes)
        )
        if limits.imageMaxBytes > limits.overallMaxBytes {
            throw .invalid("MEDVAULT_MAX_IMAGE_MB must not be larger than MEDVAULT_MAX_FILE_MB")
        }
        if limits.documentMaxBytes > limits.overallMaxBytes {
            throw .invalid("MEDVAULT_MAX_DOCUMENT_MB must not be larger than MEDVAULT_MAX_FILE_MB")
        }
        return limits
    }
}
