import Access
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
import Scanning

/// The document endpoints of API v2 (DESIGN.md): upload, download, list and delete under `/api/v2/aws/s3`.
///
/// Every handler runs inside the audit trail and asks ``StorageAccess`` for the store there, so refusals
/// (503s included) are recorded like successes.
struct DocumentsController: Sendable {
    let database: any AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    let sniffer: MagicSniffer
    /// The configured size limits (`MEDVAULT_MAX_*_MB`), enforced on every file part.
    let limits: SizeLimits
    /// Scans every uploaded file, or is off (`MEDVAULT_CLAMD_URL` unset).
    let antivirus: Antivirus
    /// Issues `download?presigned=true` URLs: S3's own, or the local store's (nil when storage is off).
    let presignedURLs: (any PresignedURLIssuer)?
    /// Signs the URLs of the categories delivered through CloudFront instead (nil: none are).
    let cloudFront: CloudFrontURLs?
    /// Enqueues the poster (and transcode) jobs of stored videos.
    let videoJobs: VideoJobQueue
    /// Makes the previews of uploaded images and PDFs, and missing ones on request.
    let previews: DocumentPreviews
    let now: @Sendable () -> Date
    let makeUUID: @Sendable () -> UUID

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("upload", use: upload)
        group.get("download", use: download)
        group.get("list", use: list)
        group.delete("delete", use: delete)
        group.post("restore", use: restore)
        group.post("hold", use: hold)
        group.delete("hold", use: releaseHold)
    }

    /// `POST upload`: streams each `file` part through inspection into storage; 201 with the stored files.
    @Sendable func upload(request: Request, context: AppRequestContext) async throws -> JSONResponse<UploadResponse> {
        try await audit.perform(.documentUpload, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            guard let contentType = request.headers[.contentType], let boundary = MultipartParser.boundary(fromContentType: contentType) else {
                throw APIError(.unsupportedMediaType, code: "expected_multipart", message: "Send the files as multipart/form-data.")
            }
            let access = access
            let dependencies = UploadDependencies(
                store: store,
                intents: .database(database, now: now),
                antivirus: antivirus,
                sniffer: sniffer,
                limits: limits,
                now: now,
                makeUUID: makeUUID,
                uploadedBy: principal.userID,
                authorize: { target in
                    try access.decide(.upload, owner: target.owner, principal: principal, request: request).require()
                }
            )
            var receiver = UploadReceiver(boundary: boundary, dependencies: dependencies, logger: context.logger)
            do {
                for try await chunk in request.body {
                    try await receiver.consume(chunk)
                }
                let records = try receiver.finish()
                let files = records.map { record in
                    var file = AuditSubject()
                    file.documentID = record.apiID
                    file.documentKey = record.key
                    file.patientID = record.entityType == .patient ? record.entityID : nil
                    file.httpStatus = 201
                    file.detail = UploadAudit.detail(scanned: antivirus.scans, removedMetadata: receiver.strippedDocuments.contains(record.id))
                    return file
                }
                try await recorder.commit(each: files) { entries in try await database.insertUploadedDocuments(records, audit: entries) }
                await videoJobs.enqueue(for: records, logger: context.logger)
                await previews.make(for: records, store: store, logger: context.logger)
                context.logger.info("stored upload", metadata: ["files": "\(records.count)"])
                return JSONResponse(UploadResponse(files: records.map(DocumentResponse.init)), status: .created)
            } catch {
                recorder.patientID = receiver.patientID?.rawValue
                if let finding = error as? MalwareFinding {
                    recorder.documentKey = finding.key
                    recorder.detail = finding.auditDetail
                } else if let scanError = error as? ScanError {
                    recorder.detail = "scan: \(scanError.code)"
                    context.logger.warning("upload refused: the scan could not be completed", metadata: ["error": "\(scanError)"])
                }
                await receiver.discard(after: error)
                throw error
            }
        }
    }

    /// `GET list`: one page of the index, ordered by key, from SQLite (never by walking storage).
    @Sendable func list(request: Request, context: AppRequestContext) async throws -> JSONResponse<ListResponse> {
        try await audit.perform(.documentList, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            _ = try storage.store()
            let query = try ListQuery(QueryParameters(query: request.uri.query))
            recorder.detail = query.prefix.rawValue.isEmpty ? nil : "prefix=\(query.prefix.rawValue)"
            if case .entity(.patient, let patient) = query.prefix.reach { recorder.patientID = patient.rawValue }
            let reason = try DocumentAccess.breakGlassReason(of: request)
            let listing: ListingAccess
            do throws(AccessDenial) {
                listing = try AccessPolicy.decideListing(prefix: query.prefix, principal: principal, breakGlassReason: reason)
            } catch {
                throw APIError.forbidden(error)
            }
            // Missing documents are an administrator's concern: other roles never see them listed.
            if query.missing, listing.scope != .everything { throw APIError.forbidden(.notPermitted) }
            if listing.breakGlass {
                recorder.breakGlass = true
                recorder.reason = reason
            }
            let page = try await database.listDocuments(query.databaseQuery(scope: listing.scope))
            return JSONResponse(
                ListResponse(
                    files: page.documents.map(DocumentResponse.init),
                    isTruncated: page.nextAfterKey != nil,
                    nextContinuationToken: page.nextAfterKey.map(ContinuationToken.encode)
                )
            )
        }
    }

    /// The policy for document requests, on this controller's clock.
    var access: DocumentAccess { DocumentAccess(now: now) }

    /// The decision on the document named by `key=` or `id=` (exactly one of them): whether `principal` may do
    /// `action` to it (see ``DocumentAccess`` for when a refusal is 403 and when 404).
    func documentDecision(
        _ action: DocumentAction,
        parameters: QueryParameters,
        principal: Principal,
        request: Request
    ) async throws -> DocumentDecision {
        let keys = parameters.getAll("key")
        let ids = parameters.getAll("id")
        switch (keys.count, ids.count) {
        case (1, 0):
            let key = try DocumentKey(parsing: keys[0])
            return try await documentDecision(action, key: key, principal: principal, request: request)
        case (0, 1):
            return try await documentDecision(action, id: ids[0], principal: principal, request: request)
        case (0, 0):
            throw APIError.missingParameter("Give the document's `key` or `id`.")
        default:
            throw APIError.invalidParameter("Give exactly one `key` or one `id`.")
        }
    }

    /// The decision on the document with the id `rawID` (a UUID, from the query or the path); a document the caller
    /// may not see is refused as 404, like a missing one (see ``DocumentAccess``).
    func documentDecision(
        _ action: DocumentAction,
        id rawID: String,
        principal: Principal,
        request: Request
    ) async throws -> DocumentDecision {
        guard let id = UUID(parsing: rawID) else {
            throw APIError.invalidDocumentID
        }
        guard let record = try await database.document(id: id) else {
            var decision = DocumentDecision(verdict: .allowed)
            decision.documentID = id.lowercaseText
            return decision
        }
        return decision(action, record: record, principal: principal, request: request, concealing: true)
    }

    /// The decision on the document at `key`. A key with no document is decided on its place in the layout, as if
    /// the caller had just uploaded it there (``DocumentOwner/uploaded(by:at:)``), so that the answer (403 or 404)
    /// reveals existence only to those who may act there; break-glass still opens only reads.
    func documentDecision(
        _ action: DocumentAction,
        key: DocumentKey,
        principal: Principal,
        request: Request
    ) async throws -> DocumentDecision {
        guard let record = try await database.document(key: key.rawValue) else {
            let owner = DocumentOwner(key: key)?.uploaded(by: principal, at: access.now())
            var decision = access.decide(action, owner: owner, principal: principal, request: request)
            decision.documentKey = key.rawValue
            return decision
        }
        return decision(action, record: record, principal: principal, request: request, concealing: false)
    }

    private func decision(
        _ action: DocumentAction,
        record: DocumentRecord,
        principal: Principal,
        request: Request,
        concealing: Bool
    ) -> DocumentDecision {
        var decision = access.decide(action, owner: DocumentOwner(record: record), principal: principal, request: request, concealing: concealing)
        if record.status == .missing, case .allowed = decision.verdict { decision.verdict = .refused(.documentMissing, outcome: nil) }
        decision.record = record
        decision.documentID = record.apiID
        decision.documentKey = record.key
        return decision
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
