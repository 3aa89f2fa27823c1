import Documents
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ObjectStorage
import Persistence

/// A stored document sent as an HTTP response: streamed from the store, with single-range support
/// (RFC 9110 §14), validators, a disposition, and the headers that keep a browser from sniffing,
/// caching, framing or running it. Used by `download` and by the local store's pre-signed URLs.
enum FileResponse {
    /// The `Content-Security-Policy` of a served file: nothing in it may run, load or be framed.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"

    /// What a response needs to know of the object it streams: a document's from its index row, a variant's from
    /// the store's metadata (``DocumentsController`` builds it from a `head`).
    struct Served: Sendable {
        var key: String
        var size: Int64
        var etag: String
        var contentType: String
        var lastModified: Date
        var disposition: String
    }

    static func serve(
        _ record: DocumentRecord,
        from store: any ObjectStore,
        request: Request,
        context: AppRequestContext
    ) async throws -> Response {
        try await serve(Served(record: record), from: store, request: request, context: context)
    }

    /// Streams `object`: whole, or the single range the request asks for.
    static func serve(_ object: Served, from store: any ObjectStore, request: Request, context: AppRequestContext) async throws -> Response {
        let etag = object.etag.hasPrefix("\"") ? object.etag : "\"\(object.etag)\""
        var selection = ByteRangeSelection(header: request.headers[.range], size: object.size)
        if let ifRange = request.headers[.ifRange], ifRange != etag {
            selection = .full  // RFC 9110 §13.1.5: a stale validator gets the whole representation.
        }
        let range: ClosedRange<Int64>?
        switch selection {
        case .full:
            range = nil
        case .partial(let bytes):
            range = bytes
        case .unsatisfiable:
            throw APIError(
                .rangeNotSatisfiable,
                code: "range_not_satisfiable",
                message: "The requested range is outside the document.",
                headers: [.contentRange: "bytes */\(object.size)"]
            )
        }
        let stream = try await store.read(key: object.key, range: range, logger: context.logger)
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? object.size
        var headers: HTTPFields = [
            .contentType: object.contentType,
            .contentLength: String(length),
            .eTag: etag,
            .lastModified: HTTPDate.string(from: object.lastModified),
            .acceptRanges: "bytes",
            .contentDisposition: object.disposition,
            .xContentTypeOptions: "nosniff",
            .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy,
        ]
        if let range {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(object.size)"
        }
        let body = stream.body
        return Response(
            status: range == nil ? .ok : .partialContent,
            headers: headers,
            body: ResponseBody(contentLength: Int(length)) { writer in
                for try await buffer in body {
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            }
        )
    }

    /// Inline only for the types a browser renders without running anything (never SVG).
    static func disposition(for record: DocumentRecord) -> String {
        ContentDisposition.value(inline: servedInline(record.contentType), fileName: record.fileName)
    }

    /// Whether a file of `contentType` is served inline: the images and PDFs a browser shows without running anything.
    static func servedInline(_ contentType: String) -> Bool {
        AllowedType(mimeType: contentType)?.servedInline ?? false
    }
}

extension FileResponse.Served {
    /// A document as its index row describes it.
    init(record: DocumentRecord) {
        self.init(
            key: record.key,
            size: record.size,
            etag: record.etag,
            contentType: record.contentType,
            lastModified: record.uploadedAt,
            disposition: FileResponse.disposition(for: record)
        )
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
}
