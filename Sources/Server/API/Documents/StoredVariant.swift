import Documents
import ObjectStorage

/// A variant of a document as the store holds it, ready to stream or to sign a URL for.
struct StoredVariant: Sendable {
    let variant: DocumentVariant
    let info: ObjectInfo

    /// The stored content type; a variant written without one is sent as bytes, never sniffed.
    var contentType: String { info.contentType ?? "application/octet-stream" }

    /// Inline for the images and PDFs a browser shows without running anything, named after the variant
    /// (`thumbnail.jpg`), so a saved preview is never mistaken for its document.
    var disposition: String {
        let type = AllowedType(mimeType: contentType)
        let name = type?.extensions.first.map { "\(variant.rawValue).\($0)" } ?? variant.rawValue
        return ContentDisposition.value(inline: FileResponse.servedInline(contentType), fileName: name)
    }

    /// What ``FileResponse`` streams.
    var served: FileResponse.Served {
        FileResponse.Served(
            key: info.key,
            size: info.size,
            etag: info.etag,
            contentType: contentType,
            lastModified: info.lastModified,
            disposition: disposition
        )
    }
}
