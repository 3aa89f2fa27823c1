import Documents
import Foundation
import Logging
import Media
import NIOCore
import ObjectStorage
import Persistence

/// Makes and stores the previews of documents (``DocumentVariant/previews``) at their ``DerivedKey``, encrypted like any
/// object and in the documents bucket (a derived key names no category folder, so bucket routes leave it there).
///
/// Previews are made right after an image or PDF is stored (the API upload, `medvault import`, a completed direct
/// upload), from the stored bytes read back once: a failure is logged without naming the document and never fails the
/// upload; the first request for a missing preview makes it then (``stored(_:of:store:logger:)``). A video's variants
/// are made elsewhere (ffmpeg); what exists at a derived key is served whoever wrote it.
package struct DocumentPreviews: Sendable {
    /// Renders previews; nil when they are off (`MEDVAULT_PREVIEWS=off`) or libvips could not start.
    let maker: PreviewMaker?
    /// The largest document read back to make previews of: the image or document limit, whichever is larger.
    let maximumInputBytes: Int64

    /// No previews are made; stored variants are still served.
    package static let off = DocumentPreviews(maker: nil, maximumInputBytes: 0)

    /// Previews on when `enabled`, bounded by `limits`; off, with an error logged, when libvips does not start.
    package static func start(enabled: Bool, limits: SizeLimits, logger: Logger) -> DocumentPreviews {
        guard enabled else { return .off }
        do {
            let maker = try PreviewMaker(concurrency: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
            return DocumentPreviews(maker: maker, maximumInputBytes: Int64(max(limits.imageMaxBytes, limits.documentMaxBytes)))
        } catch {
            logger.error("libvips did not start: no previews will be made", metadata: ["error": "\(error)"])
            return .off
        }
    }

    /// Whether previews are made of `record`: an image (not SVG) or a PDF within the limits.
    func makes(_ record: DocumentRecord) -> Bool {
        maker != nil && PreviewMaker.isPreviewable(contentType: record.contentType) && record.size <= maximumInputBytes
    }

    /// Makes and stores the previews of each of `records` that gets them. Never throws: an upload is not refused for
    /// its previews, and a preview missing now is made on its first request.
    func make(for records: [DocumentRecord], store: any ObjectStore, logger: Logger) async {
        for record in records where makes(record) {
            do {
                try await render(record, store: store, logger: logger)
            } catch {
                logger.warning("previews not made; they will be made on first request", metadata: ["error": "\(Self.describe(error))"])
            }
        }
    }

    /// The stored `variant` of `record`, made now when it is a missing preview of a document that gets previews; nil
    /// when there is none and none can be made (a video without a poster yet, a Word file, a damaged image).
    func stored(_ variant: DocumentVariant, of record: DocumentRecord, store: any ObjectStore, logger: Logger) async throws -> ObjectInfo? {
        let key = DerivedKey(documentID: record.id, variant: variant).rawValue
        if let info = try await store.headIfPresent(key: key, logger: logger) { return info }
        guard variant.previewLongEdge != nil, makes(record) else { return nil }
        do {
            try await render(record, store: store, logger: logger)
        } catch let error as PreviewError {
            logger.warning("preview could not be made on request", metadata: ["error": "\(error)"])
            return nil
        }
        return try await store.headIfPresent(key: key, logger: logger)
    }

    /// Reads `record`'s bytes once (at most ``maximumInputBytes``), when a render slot is free, and stores every
    /// preview of them.
    private func render(_ record: DocumentRecord, store: any ObjectStore, logger: Logger) async throws {
        guard let maker else { return }
        let limit = maximumInputBytes
        let variants = DocumentVariant.previews
        let previews = try await maker.render(variants) {
            let stream = try await store.read(key: record.key, range: nil, logger: logger)
            var input: [UInt8] = []
            input.reserveCapacity(Int(min(stream.info.size, limit)))
            for try await buffer in stream.body {
                guard input.count + buffer.readableBytes <= limit else { throw PreviewError.notPreviewable }
                input.append(contentsOf: buffer.readableBytesView)
            }
            return input
        }
        for (variant, preview) in zip(variants, previews) {
            try await Self.write(preview, at: DerivedKey(documentID: record.id, variant: variant).rawValue, store: store, logger: logger)
        }
    }

    private static func write(_ preview: Preview, at key: String, store: any ObjectStore, logger: Logger) async throws {
        let writer = try await store.makeWriter(key: key, contentType: preview.contentType, logger: logger)
        do {
            try await writer.write(ByteBuffer(bytes: preview.bytes))
            _ = try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// A log-safe name for a preview failure: a code, never a message that could carry a key or a file name.
    private static func describe(_ error: any Error) -> String {
        switch error {
        case let error as PreviewError: error.identifier
        case let error as StorageError: error.code
        default: "\(type(of: error))"
        }
    }
}
