import Access
import Archive
import Audit
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ObjectStorage
import Persistence

/// `GET /api/v2/entities/{entityType}/{entityId}/export`: every document of one entity, with a manifest and a FHIR R4
/// bundle, streamed as one ZIP archive (``EntityExport``). `?include=archived` adds the archived documents.
///
/// Allowed as ``AccessPolicy/decideExport(entityType:entityID:principal:)`` says; audited `entity.export` with the
/// number of documents, the row written before the first byte of the archive leaves (``AuditTrail`` appends it when
/// the handler returns the response, before the body streams). The archive's length is not known in advance, so it
/// is sent chunked; if a document cannot be read part-way, the connection is closed before the last chunk, and the
/// client sees a broken download rather than an archive without that document; a second, `failed` row then names the
/// document and the error.
struct ExportController: Sendable {
    let database: any AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(":entityType/:entityId/export", use: export)
    }

    @Sendable func export(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.entityExport, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            guard let entityType = EntityType(rawValue: context.parameters.get("entityType") ?? "") else { throw APIError.invalidEntityType }
            let entityID = try EntityID(validating: context.parameters.get("entityId") ?? "")
            if entityType == .patient { recorder.patientID = entityID.rawValue }
            let includeArchived = try Self.includesArchived(QueryParameters(query: request.uri.query))
            if case .denied(let denial) = AccessPolicy.decideExport(entityType: entityType, entityID: entityID, principal: principal) {
                throw APIError.forbidden(denial)
            }
            let store = try storage.store()
            let export = try await EntityExport.gather(entityType, entityID, includingArchived: includeArchived, from: database, at: now())
            recorder.detail = export.auditDetail
            let subject = recorder.subject
            let logger = context.logger
            let fileName = "medvault-export-\(entityType.rawValue)-\(entityID.rawValue).zip"
            let headers: HTTPFields = [
                .contentType: "application/zip",
                .contentDisposition: ContentDisposition.value(inline: false, fileName: fileName),
                .cacheControl: "no-store",
                .xContentTypeOptions: "nosniff",
            ]
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody { writer in
                    do {
                        try await export.write(from: store, logger: logger) { buffer in try await writer.write(buffer) }
                    } catch let error as ExportError {
                        logger.error(
                            "export cut short: a document's object failed",
                            metadata: ["error": "\(error.code)", "document.id": "\(error.documentID)"]
                        )
                        var failure = subject
                        failure.documentID = error.documentID
                        failure.errorCode = error.code
                        await audit.appendFailureAfterResponse(.entityExport, subject: failure, request: request, context: context)
                        throw error
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// `include`: absent, or `archived` to add the archived documents.
    static func includesArchived(_ parameters: QueryParameters) throws -> Bool {
        switch parameters.getAll("include") {
        case []: false
        case ["archived"]: true
        default: throw APIError.invalidParameter("`include` may only be `archived`, once.")
        }
    }
}
