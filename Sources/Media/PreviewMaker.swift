import CVips
import Dispatch
import Documents

/// Makes the previews of an image or of a PDF's first page with libvips: a ``DocumentVariant/thumbnail`` for lists
/// and a ``DocumentVariant/mobile`` rendition for phones.
///
/// Every preview is a baseline JPEG: every browser, phone and image library decodes it, it encodes several times
/// faster than WebP at these sizes, and a preview's bytes matter less than the original's. Previews are shrunk to fit
/// the variant's box on the long edge and never enlarged (a PDF page is drawn at the box's size), turned upright from the orientation tag, flattened on white
/// when they have alpha, and carry no metadata at all (libvips strips EXIF, XMP and ICC on save), so a phone photo's
/// GPS position never reaches a preview. SVG never reaches libvips: only the loaders in ``acceptedLoaders`` run.
///
/// The input is held in memory (bounded by the upload limits, at most the document limit) rather than written to a
/// temporary file, so no plaintext copy of a document ever touches the disk. Rendering is blocking C work: it runs on
/// a Dispatch worker, never on an event loop or the cooperative pool, and at most `concurrency` renders run at once.
package final class PreviewMaker: Sendable {
    /// The most pixels an image's header may announce: about 100 MP, past any camera a patient carries; a larger
    /// "image" of a few megabytes is a decompression bomb.
    package static let maximumPixels = 100_000_000

    /// The media types previews are made of; the stored content type is libmagic's finding, never the client's claim.
    package static let previewableTypes: Set<String> = [
        AllowedType.jpeg, .png, .webp, .gif, .heic, .pdf,
    ].reduce(into: []) { $0.insert($1.mimeType) }

    /// The libvips loaders (class names, as `vips_foreign_find_load_buffer` reports them) allowed to read an input,
    /// checked against what libvips itself recognises in the bytes.
    static let acceptedLoaders: Set<String> = [
        "VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", "VipsForeignLoadWebpBuffer", "VipsForeignLoadNsgifBuffer",
        "VipsForeignLoadHeifBuffer", "VipsForeignLoadPdfBuffer",
    ]

    /// The loader of PDFs: a page is vector art, drawn at the variant's size (a 72 dpi page would be a blurry phone
    /// rendition), where a photo is never enlarged.
    static let pageLoader = "VipsForeignLoadPdfBuffer"

    /// The JPEG quality of every preview.
    static let quality: Int32 = 80

    private let slots: RenderSlots

    /// Starts libvips (once per process) and allows `concurrency` renders at a time.
    package init(concurrency: Int) throws(PreviewError) {
        try VipsRuntime.start()
        slots = RenderSlots(count: concurrency)
    }

    /// Whether documents of `contentType` get previews.
    package static func isPreviewable(contentType: String) -> Bool {
        previewableTypes.contains(contentType)
    }

    /// Renders `input` (a whole image or PDF file) as `variant`, which must be one of ``DocumentVariant/previews``.
    package func render(_ input: [UInt8], as variant: DocumentVariant) async throws(PreviewError) -> Preview {
        try await slots.withSlot { () async throws(PreviewError) -> Preview in try await Self.renderOffPool(input, as: variant) }
    }

    /// Reads the input with `source` only once a render slot is free, then renders it as each of `variants`: at most
    /// `concurrency` inputs (each bounded by the upload limits) are held in memory at once, however many wait.
    package func render(_ variants: [DocumentVariant], of source: () async throws -> [UInt8]) async throws -> [Preview] {
        try await slots.withSlot { () async throws -> [Preview] in
            let input = try await source()
            var previews: [Preview] = []
            for variant in variants {
                previews.append(try await Self.renderOffPool(input, as: variant))
            }
            return previews
        }
    }

    /// ``renderNow(_:box:)`` on a Dispatch worker, so the blocking C work never holds a cooperative thread.
    private static func renderOffPool(_ input: [UInt8], as variant: DocumentVariant) async throws(PreviewError) -> Preview {
        guard let box = variant.previewLongEdge else { throw .notPreviewable }
        let result: Result<Preview, PreviewError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: Result { () throws(PreviewError) -> Preview in try renderNow(input, box: box) })
            }
        }
        return try result.get()
    }

    /// The blocking render: checks the loader and the pixel count from the header, then shrinks and encodes.
    static func renderNow(_ input: [UInt8], box: Int) throws(PreviewError) -> Preview {
        try input.withUnsafeBytes { raw in Result { () throws(PreviewError) -> Preview in try render(raw, box: box) } }.get()
    }

    private static func render(_ raw: UnsafeRawBufferPointer, box: Int) throws(PreviewError) -> Preview {
        guard let base = raw.baseAddress, !raw.isEmpty else { throw .notPreviewable }
        var loader: UnsafePointer<CChar>?
        var width: Int32 = 0
        var height: Int32 = 0
        guard medvault_vips_probe(base, raw.count, &loader, &width, &height) == 0, let loader else { throw .notPreviewable }
        let loaderName = String(cString: loader)
        guard acceptedLoaders.contains(loaderName) else { throw .notPreviewable }
        let isPage: Int32 = loaderName == pageLoader ? 1 : 0
        guard Int(width) * Int(height) <= maximumPixels else { throw .tooManyPixels }
        var output: UnsafeMutableRawPointer?
        var length = 0
        guard medvault_vips_thumbnail_jpeg(base, raw.count, Int32(box), isPage, quality, &output, &length, &width, &height) == 0,
            let output
        else { throw .renderFailed }
        defer { medvault_vips_free(output) }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: output, count: length))
        return Preview(bytes: bytes, contentType: AllowedType.jpeg.mimeType, width: Int(width), height: Int(height))
    }
}
