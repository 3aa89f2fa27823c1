import Audit
import ContentValidation
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Multipart
import ObjectStorage
import Persistence

/// The document endpoints of API v2 (DESIGN.md): upload, download, list and delete under `/api/v2/aws/s3`.
///
/// Every handler runs inside the audit trail and asks ``StorageAccess`` for the store there, so refusals
/// (503s included) are recorded like successes.
struct DocumentsController: Sendable {
    let database: AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    let sniffer: MagicSniffer
    /// Issues `download?presigned=true` URLs: S3's own, or the local store's (nil when storage is off).
    let presignedURLs: (any PresignedURLIssuer)?
    let now: @Sendable () -> Date
    let makeUUID: @Sendable () -> UUID

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("upload", use: upload)
        group.get("download", use: download)
        group.get("list", use: list)
        group.delete("delete", use: delete)
    }

    /// `POST upload`: streams each `file` part through inspection into storage; 201 with the stored files.
    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> JSONResponse<UploadResponse> {
        try await audit.perform(.documentUpload, request: request, context: context) { subject in
            let store = try storage.store()
            guard let contentType = request.headers[.contentType], let boundary = MultipartParser.boundary(fromContentType: contentType) else {
                throw APIError(.unsupportedMediaType, code: "expected_multipart", message: "Send the files as multipart/form-data.")
            }
            let dependencies = UploadDependencies(store: store, sniffer: sniffer, now: now, makeUUID: makeUUID)
            var receiver = UploadReceiver(boundary: boundary, dependencies: dependencies, logger: context.logger)
            do {
                for try await chunk in request.body {
                    try await receiver.consume(chunk)
                }
                let records = try receiver.finish()
                let entries = records.map { record in
                    var fileSubject = AuditSubject()
                    fileSubject.documentID = record.apiID
                    fileSubject.documentKey = record.key
                    return audit.entry(.documentUpload, outcome: .success, httpStatus: 201, subject: fileSubject, request: request, context: context)
                }
                try await database.insertDocuments(records, audit: entries)
                subject.recorded = true
                context.logger.info("stored upload", metadata: ["files": "\(records.count)"])
                return JSONResponse(UploadResponse(files: records.map(DocumentResponse.init)), status: .created)
            } catch {
                await receiver.discard()
                throw error
            }
        }
    }

    /// `GET list`: one page of the index, ordered by key, from SQLite (never by walking storage).
    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListResponse> {
        try await audit.perform(.documentList, request: request, context: context) { subject in
            _ = try storage.store()
            let query = try ListQuery(QueryParameters(query: request.uri.query))
            subject.detail = query.prefix.isEmpty ? nil : "prefix=\(query.prefix)"
            let page = try await database.listDocuments(query.databaseQuery)
            return JSONResponse(
                ListResponse(
                    files: page.documents.map(DocumentResponse.init),
                    isTruncated: page.nextAfterKey != nil,
                    nextContinuationToken: page.nextAfterKey.map(ContinuationToken.encode)
                )
            )
        }
    }

    /// Finds the document named by `key=` or `id=` (exactly one of them).
    func resolveDocument(_ parameters: QueryParameters, subject: inout AuditSubject) async throws -> DocumentRecord {
        let keys = parameters.getAll("key")
        let ids = parameters.getAll("id")
        let record: DocumentRecord?
        switch (keys.count, ids.count) {
        case (1, 0):
            let key = try DocumentKey(parsing: keys[0])
            subject.documentKey = key.rawValue
            record = try await database.document(key: key.rawValue)
        case (0, 1):
            guard let id = UUID(uuidString: ids[0]) else {
                throw APIError.invalidParameter("`id` must be a document id (a UUID).")
            }
            subject.documentID = id.uuidString.lowercased()
            record = try await database.document(id: id)
        case (0, 0):
            throw APIError.missingParameter("Give the document's `key` or `id`.")
        default:
            throw APIError.invalidParameter("Give exactly one `key` or one `id`.")
        }
        guard let record else { throw APIError.documentNotFound }
        subject.documentID = record.apiID
        subject.documentKey = record.key
        return record
    }
}

/// The body of a successful upload.
struct UploadResponse: Encodable, Sendable {
    let files: [DocumentResponse]
}

/// One page of `list`.
struct ListResponse: Encodable, Sendable {
    let files: [DocumentResponse]
    let isTruncated: Bool
    let nextContinuationToken: String?

    /// Spelled out so that `nextContinuationToken` is `null` on the last page rather than absent.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(files, forKey: .files)
        try container.encode(isTruncated, forKey: .isTruncated)
        try container.encode(nextContinuationToken, forKey: .nextContinuationToken)
    }

    private enum CodingKeys: String, CodingKey {
        case files, isTruncated, nextContinuationToken
    }
}
