/// Upper bounds on upload sizes, per kind of file and overall.
///
/// The configuration states the limits in "MB" (`MEDVAULT_MAX_IMAGE_MB` and its siblings); here MB means MiB
/// (1 MB = 1024 × 1024 bytes), the usual reading for upload limits and the one S3 tooling uses.
package struct SizeLimits: Sendable, Hashable, Codable {
    /// The largest image (JPEG, PNG, GIF, WebP, SVG, HEIC) accepted, in bytes.
    package let imageMaxBytes: Int
    /// The largest document (PDF, Word, Excel, text, CSV) accepted, in bytes.
    package let documentMaxBytes: Int
    /// The largest file of any kind but video accepted, in bytes; it also bounds DICOM and caps the image and
    /// document limits.
    package let overallMaxBytes: Int
    /// The largest video (MP4, MOV, WebM) accepted, in bytes. Videos are their own size class, outside
    /// ``overallMaxBytes``: a short exercise video is far larger than any document.
    package let videoMaxBytes: Int

    /// The defaults: images 10 MiB, documents 25 MiB, any other file 50 MiB, videos 500 MiB.
    package static let standard = SizeLimits(
        imageMaxBytes: 10 * 1024 * 1024,
        documentMaxBytes: 25 * 1024 * 1024,
        overallMaxBytes: 50 * 1024 * 1024,
        videoMaxBytes: 500 * 1024 * 1024
    )

    /// Creates limits, e.g. from configuration or with small values in tests.
    package init(imageMaxBytes: Int, documentMaxBytes: Int, overallMaxBytes: Int, videoMaxBytes: Int = 500 * 1024 * 1024) {
        self.imageMaxBytes = imageMaxBytes
        self.documentMaxBytes = documentMaxBytes
        self.overallMaxBytes = overallMaxBytes
        self.videoMaxBytes = videoMaxBytes
    }

    /// The limit for a file of `kind`: its own limit, never more than ``overallMaxBytes``; medical files
    /// (DICOM) have no limit of their own and get the overall one; videos get ``videoMaxBytes``.
    package func maxBytes(for kind: TypeKind) -> Int {
        switch kind {
        case .image: min(imageMaxBytes, overallMaxBytes)
        case .document: min(documentMaxBytes, overallMaxBytes)
        case .medical: overallMaxBytes
        case .video: videoMaxBytes
        }
    }

    /// These limits with the video limit lowered to `bytes` when it is above: for a server whose malware scanner was
    /// proven to scan files whole only up to `bytes`.
    package func videosCapped(at bytes: Int) -> SizeLimits {
        SizeLimits(
            imageMaxBytes: imageMaxBytes,
            documentMaxBytes: documentMaxBytes,
            overallMaxBytes: overallMaxBytes,
            videoMaxBytes: min(videoMaxBytes, bytes)
        )
    }

    /// The limit for a file of `kind` stored in `category`: the kind's limit, lowered to the category's own cap
    /// (``FileCategory/maxBytes``) when it has one.
    package func maxBytes(for kind: TypeKind, in category: FileCategory) -> Int {
        min(maxBytes(for: kind), category.maxBytes ?? .max)
    }
}
