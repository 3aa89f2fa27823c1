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

    static func serve(
        _ record: DocumentRecord,
        from store: any ObjectStore,
        request: Request,
        context: AppRequestContext
    ) async throws -> Response {
        let etag = record.etag.hasPrefix("\"") ? record.etag : "\"\(record.etag)\""
        var selection = ByteRangeSelection(header: request.headers[.range], size: record.size)
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
                headers: [.contentRange: "bytes */\(record.size)"]
            )
        }
        let stream = try await store.read(key: record.key, range: range, logger: context.logger)
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? record.size
        var headers: HTTPFields = [
            .contentType: record.contentType,
            .contentLength: String(length),
            .eTag: etag,
            .lastModified: HTTPDate.string(from: record.uploadedAt),
            .acceptRanges: "bytes",
            .contentDisposition: disposition(for: record),
            .xContentTypeOptions: "nosniff",
            .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy,
        ]
        if let range {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(record.size)"
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
        let servedInline = AllowedType.allCases.first { $0.mimeType == record.contentType }?.servedInline ?? false
        return ContentDisposition.value(inline: servedInline, fileName: record.fileName)
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
}
