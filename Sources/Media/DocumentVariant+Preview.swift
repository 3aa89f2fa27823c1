import Documents

extension DocumentVariant {
    /// The box (pixels on the long edge) ``PreviewMaker`` fits this variant of an image or PDF page into, or nil for a
    /// variant previews do not make (a video's poster frame comes from ffmpeg).
    package var previewLongEdge: Int? {
        switch self {
        case .thumbnail: 256
        case .mobile: 1280
        case .poster: nil
        }
    }

    /// The variants made of every previewable document, in the order they are made.
    package static let previews: [DocumentVariant] = allCases.filter { $0.previewLongEdge != nil }
}
