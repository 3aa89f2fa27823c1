import Access
import Audit
import ContentValidation
import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

/// Direct uploads (`/api/v2/aws/s3/uploads…`): the client sends a file's bytes straight to storage through
/// pre-signed URLs, and medvault makes a document of them only once it has verified what actually arrived.
///
/// `POST uploads` checks access, type and size before it signs anything and records a session; the bytes land under
/// the session's staging key (`quarantine/{uploadId}`), which nothing serves. `GET uploads/{uploadId}` reports the
/// session for resuming, `POST …/complete` verifies and accepts or rejects it (``complete(request:context:)``),
/// `DELETE` aborts it. Only the uploader or an admin may see a session; anyone else gets 404, as for a missing one.
struct DirectUploadsController: Sendable {
    let database: any AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail
    let sniffer: MagicSniffer
    /// The upload size limits the server enforces, checked before anything is signed and again on what arrived.
    let limits: SizeLimits
    let antivirus: Antivirus
    /// Signs the part URLs: S3's own, or the local store's URLs to medvault itself (nil when storage is off).
    let presignedURLs: (any PresignedURLIssuer)?
    let settings: DirectUploadSettings
    /// The server-side encryption a staged object must show (``StorageComposition/expectedEncryption(_:)``).
    let expectedEncryption: String
    /// Enqueues the poster (and transcode) jobs of a completed video.
    let videoJobs: VideoJobQueue
    /// Makes the previews of a completed image or PDF.
    let previews: DocumentPreviews
    let now: @Sendable () -> Date
    let makeUUID: @Sendable () -> UUID

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("uploads", use: create)
        group.get("uploads/:uploadId", use: status)
        group.post("uploads/:uploadId/complete", use: complete)
        group.delete("uploads/:uploadId", use: abort)
    }

    /// `POST uploads`: 403 for an entity the caller may not upload to, 415/413 for a name or size the upload policy
    /// refuses, else a session recorded with its `upload.create` row and 201 with the part URLs.
    @Sendable func create(request: Request, context: AppRequestContext) async throws -> JSONResponse<UploadSessionCreated> {
        try await audit.perform(.uploadCreate, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            let signer = try partSigner()
            let body = try await JSONBody.decode(NewUploadRequest.self, from: request, example: NewUploadRequest.example)
            let (target, fileName, sha256) = try body.validated(uploadedBy: principal.userID)
            try recorder.check(
                DocumentAccess(now: now).decide(
                    .upload,
                    owner: target.owner,
                    principal: principal,
                    request: request
                )
            )
            _ = try UploadInspector.precheck(fileName: fileName, category: target.category, size: Int(clamping: body.size), limits: limits)
            let id = makeUUID()
            let date = now()
            recorder.documentID = id.lowercaseText
            var session = UploadSessionRecord(
                id: id,
                stagingKey: "quarantine/\(id.lowercaseText)",
                documentKey: KeyLayout.documentKey(
                    entityType: target.entityType,
                    entityID: target.entityID,
                    category: target.category,
                    documentID: id,
                    fileName: fileName
                ).rawValue,
                fileName: fileName,
                size: body.size,
                sha256: sha256,
                category: target.category,
                entityType: target.entityType,
                entityID: target.entityID.rawValue,
                partSize: Int64(settings.partSize),
                partCount: 1,
                createdBy: principal.userID,
                createdAt: date,
                expiresAt: date.addingTimeInterval(TimeInterval(settings.urlLifetime))
            )
            let plan = UploadPartPlan(size: session.size, partSize: session.partSize)
            session.partCount = plan.partCount
            if plan.isMultipart {
                session.multipartUploadID = try await store.multipartStaging.startMultipartUpload(
                    key: session.stagingKey,
                    contentType: "application/octet-stream",
                    logger: context.logger
                )
            }
            recorder.documentKey = session.stagingKey
            recorder.httpStatus = 201
            do {
                try await recorder.commit { entry in try await database.createUploadSession(session, audit: entry) }
            } catch {
                if session.multipartUploadID != nil { try? await store.removeDirectUpload(session, logger: context.logger) }
                throw error
            }
            let parts = try signer.urls(for: session, partNumbers: Array(1...session.partCount), date: date)
            return JSONResponse(
                UploadSessionCreated(
                    uploadId: id.lowercaseText,
                    expiresAt: MillisecondTimestamp.string(session.expiresAt),
                    partSize: session.partSize,
                    parts: parts
                ),
                status: .created
            )
        }
    }

    /// `GET uploads/{uploadId}`: the session, the parts storage holds, and fresh URLs for the missing ones while it is
    /// `pending`.
    @Sendable func status(request: Request, context: AppRequestContext) async throws -> JSONResponse<UploadSessionStatus> {
        try await audit.perform(.uploadStatus, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            let session = try await ownedSession(context: context, principal: principal, recorder: recorder)
            guard session.state == .pending else { return JSONResponse(UploadSessionStatus(session, receivedParts: [], parts: [])) }
            let received = try await store.receivedParts(of: session, logger: context.logger)
            let missing = (1...session.partCount).filter { number in !received.contains { $0.partNumber == number } }
            let parts = try partSigner().urls(for: session, partNumbers: missing, date: now())
            return JSONResponse(UploadSessionStatus(session, receivedParts: received, parts: parts))
        }
    }

    /// `DELETE uploads/{uploadId}`: removes what the session staged and marks it `aborted` with its `upload.abort` row;
    /// 204. A session that is no longer open is 409 `upload_closed`.
    @Sendable func abort(request: Request, context: AppRequestContext) async throws -> Response {
        try await audit.perform(.uploadAbort, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            let session = try await ownedSession(context: context, principal: principal, recorder: recorder)
            guard session.state.isOpen else { throw Self.closed(session) }
            try await store.removeDirectUpload(session, logger: context.logger)
            recorder.httpStatus = 204
            try await recorder.commit { entry in
                let aborted = try await database.transitionUploadSession(
                    id: session.id,
                    from: [.pending, .verifying],
                    to: .aborted,
                    rejectionCode: nil,
                    audit: entry
                )
                guard aborted != nil else { throw Self.closed(session) }
            }
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }

    /// The session named by the path, if `principal` created it or is an admin; 404 otherwise (audited as denied),
    /// so that nobody else learns it exists.
    func ownedSession(context: AppRequestContext, principal: Principal, recorder: AuditRecorder) async throws -> UploadSessionRecord {
        guard let text = context.parameters.get("uploadId"), let id = UUID(parsing: text) else { throw Self.notFound }
        recorder.documentID = id.lowercaseText
        guard let session = try await database.uploadSession(id: id) else { throw Self.notFound }
        guard session.createdBy == principal.userID || principal.role == .admin else {
            recorder.outcome = .denied
            throw Self.notFound
        }
        recorder.documentKey = session.stagingKey
        if session.entityType == .patient { recorder.patientID = session.entityID }
        return session
    }

    func partSigner() throws -> PartURLSigner {
        guard let presignedURLs else { throw APIError.unexpected }
        return PartURLSigner(issuer: presignedURLs, lifetime: settings.urlLifetime)
    }

    static let notFound = APIError(.notFound, code: "not_found", message: "No upload session with that id.")

    /// A session that can no longer change.
    static func closed(_ session: UploadSessionRecord) -> APIError {
        APIError(.conflict, code: "upload_closed", message: "The upload session is \(session.state.rawValue).")
    }
}
