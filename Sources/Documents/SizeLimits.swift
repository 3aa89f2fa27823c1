/// Upper bounds on upload sizes, per kind of file and overall.
///
/// DESIGN.md states the limits in "MB"; here MB means MiB (1 MB = 1024 × 1024 bytes), the usual reading for
/// upload limits and the one S3 tooling uses.
package struct SizeLimits: Sendable, Hashable, Codable {
    /// The largest image (JPEG, PNG, GIF, WebP, SVG) accepted, in bytes.
    package let imageMaxBytes: Int
    /// The largest document (PDF, Word, Excel, text, CSV) accepted, in bytes.
    package let documentMaxBytes: Int
    /// The largest file of any kind accepted, in bytes; it also bounds DICOM and caps the per-kind limits.
    package let overallMaxBytes: Int

    /// The product's limits: images 10 MiB, documents 25 MiB, any file 50 MiB (DESIGN.md, "Limits and types").
    package static let standard = SizeLimits(
        imageMaxBytes: 10 * 1024 * 1024,
        documentMaxBytes: 25 * 1024 * 1024,
        overallMaxBytes: 50 * 1024 * 1024
    )

    /// Creates limits, e.g. from configuration or with small values in tests.
    package init(imageMaxBytes: Int, documentMaxBytes: Int, overallMaxBytes: Int) {
        self.imageMaxBytes = imageMaxBytes
        self.documentMaxBytes = documentMaxBytes
        self.overallMaxBytes = overallMaxBytes
    }

    /// The limit for a file of `kind`: its own limit, never more than ``overallMaxBytes``; medical files
    /// (DICOM) have no limit of their own and get the overall one.
    package func maxBytes(for kind: TypeKind) -> Int {
        switch kind {
        case .image: min(imageMaxBytes, overallMaxBytes)
        case .document: min(documentMaxBytes, overallMaxBytes)
        case .medical: overallMaxBytes
        }
    }
}
