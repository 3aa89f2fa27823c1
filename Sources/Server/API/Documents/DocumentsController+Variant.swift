import Audit
import Documents
import Hummingbird
import ObjectStorage
import Persistence

extension DocumentsController {
    /// The `variant` parameter of `download`: nil for the document itself; an unknown or repeated one is 400
    /// `invalid_variant`, before any access decision.
    static func variant(in parameters: QueryParameters) throws -> DocumentVariant? {
        let values = parameters.getAll("variant")
        guard let value = values.first else { return nil }
        guard values.count == 1, let variant = DocumentVariant(rawValue: value) else {
            let names = DocumentVariant.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError(.badRequest, code: "invalid_variant", message: "`variant` must be one of \(names).")
        }
        return variant
    }

    /// The stored `variant` of `record` (made now when it is a missing preview), recorded in the audit row's detail;
    /// 404 `variant_not_found` when the document has none.
    ///
    /// nil: serve the document itself. A video's phone rendition is served as the original until it is ready
    /// (transcoding off, queued, running or failed), so a phone's player always gets something it can play.
    func storedVariant(
        _ variant: DocumentVariant,
        of record: DocumentRecord,
        store: any ObjectStore,
        context: AppRequestContext,
        recorder: AuditRecorder
    ) async throws -> StoredVariant? {
        recorder.detail = "variant=\(variant.rawValue)"
        guard let info = try await previews.stored(variant, of: record, store: store, logger: context.logger) else {
            guard variant == .mobile, AllowedType(mimeType: record.contentType)?.kind == .video else { throw APIError.variantNotFound(variant) }
            recorder.detail = "variant=mobile (the original until transcoded)"
            return nil
        }
        return StoredVariant(variant: variant, info: info)
    }
}

extension APIError {
    /// 404 `variant_not_found`: the document exists and may be read, but has no such variant and none can be made.
    static func variantNotFound(_ variant: DocumentVariant) -> APIError {
        APIError(.notFound, code: "variant_not_found", message: "This document has no \(variant.rawValue).")
    }
}
