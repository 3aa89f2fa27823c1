import Audit
import ContentValidation
import Documents
import Foundation
import Hummingbird
import Logging
import ObjectStorage
import Persistence

extension DirectUploadsController {
    /// The optional JSON body of `POST uploads/{uploadId}/complete`: the parts' ETags (empty, or no body, for one part).
    struct CompleteRequest: Decodable {
        struct Part: Decodable {
            let partNumber: Int
            let etag: String
        }

        let parts: [Part]
    }

    /// `POST uploads/{uploadId}/complete`: verifies what arrived and makes it a document (201, the document as `upload`
    /// returns it), or refuses it (422 with the code `upload` uses for the same fault, or `size_mismatch`,
    /// `checksum_mismatch`, `encryption_missing`).
    ///
    /// The session is `verifying` while the checks run. A refusal deletes the staged object and leaves the session
    /// `rejected`; a check that could not run (storage or clamd down) leaves it `verifying`, and completing it again
    /// redoes every check. An accepted object moves to its document key (CopyObject with SSE on S3, a rename on the
    /// local store; an image is written there anew without its metadata, the audit rows noting it) under an upload
    /// intent, and the session's `accepted` state, the document row and its `document.upload` and `upload.complete`
    /// audit rows commit in one transaction: nothing is ever half-accepted, and nothing is readable before.
    @Sendable func complete(request: Request, context: AppRequestContext) async throws -> JSONResponse<DocumentResponse> {
        try await audit.perform(.uploadComplete, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            let session = try await ownedSession(context: context, principal: principal, recorder: recorder)
            var listed: [CompleteRequest.Part] = []
            if request.headers[.contentType] != nil {
                listed = try await JSONBody.decode(CompleteRequest.self, from: request, example: #"{"parts": [{"partNumber": 1, "etag": "…"}]}"#)
                    .parts
            }
            guard session.state.isOpen else { throw Self.closed(session) }
            let assembly = try await partsToAssemble(session, listed: listed, store: store, logger: context.logger)
            guard
                let verifying = try await database.transitionUploadSession(
                    id: session.id,
                    from: [.pending, .verifying],
                    to: .verifying,
                    rejectionCode: nil,
                    audit: nil
                )
            else { throw Self.closed(session) }
            if let assembly, let uploadID = session.multipartUploadID {
                try await store.multipartStaging.completeMultipartUpload(
                    key: session.stagingKey,
                    uploadID: uploadID,
                    parts: assembly,
                    logger: context.logger
                )
            }
            let verified = try await verify(verifying, store: store, context: context, recorder: recorder)
            let published = try await publish(session, type: verified.inspected.type, store: store, context: context)
            if published.removedMetadata { recorder.detail = UploadAudit.metadataRemovedNote }
            let record = DocumentRecord(
                id: session.id,
                key: session.documentKey,
                fileName: session.fileName,
                size: published.size ?? session.size,
                contentType: verified.inspected.mimeType,
                category: session.category,
                entityType: session.entityType,
                entityID: session.entityID,
                sha256: published.sha256 ?? verified.sha256,
                etag: published.info.etag,
                uploadedAt: now(),
                uploadedBy: session.createdBy
            )
            recorder.documentKey = record.key
            recorder.httpStatus = 201
            // The document's own upload row, then the completion's.
            var upload = recorder.subject
            upload.action = .documentUpload
            do {
                try await recorder.commit(each: [upload, recorder.subject]) { entries in
                    try await database.acceptUploadSession(id: session.id, document: record, audit: entries)
                }
            } catch  where (error as? PersistenceError) == .uploadAbandoned {
                // Expired or aborted meanwhile: the object must not stay under a document key without a row.
                try? await store.delete(key: record.key, logger: context.logger)
                try? await database.deleteUploadIntents(keys: [record.key])
                throw error
            }
            await videoJobs.enqueue(for: [record], logger: context.logger)
            context.logger.info("accepted a direct upload")
            await previews.make(for: [record], store: store, logger: context.logger)
            return JSONResponse(DocumentResponse(record), status: .created)
        }
    }

    /// The parts completion must assemble, checked against what storage holds: nil when the staged object exists (one
    /// part, or parts an earlier attempt assembled). A one-part upload lists no parts; a multipart one lists every part
    /// in order with the ETag its PUT answered (400 `invalid_parts` otherwise), and every part must have arrived (409
    /// `upload_incomplete`, the session staying `pending`).
    private func partsToAssemble(
        _ session: UploadSessionRecord,
        listed: [CompleteRequest.Part],
        store: any ObjectStore,
        logger: Logger
    ) async throws -> [UploadedPart]? {
        let incomplete = APIError(.conflict, code: "upload_incomplete", message: "Not every part has arrived yet; send the missing parts first.")
        guard let uploadID = session.multipartUploadID else {
            guard listed.isEmpty else { throw Self.invalidParts("A one-part upload is completed with no parts listed.") }
            guard try await store.stagedObject(of: session, logger: logger) != nil else { throw incomplete }
            return nil
        }
        if try await store.stagedObject(of: session, logger: logger) != nil { return nil }
        let received = try await store.multipartStaging.uploadedParts(key: session.stagingKey, uploadID: uploadID, logger: logger)
        let numbers = Array(1...session.partCount)
        guard received.map(\.number) == numbers else { throw incomplete }
        func unquoted(_ etag: String) -> Substring { etag.drop { $0 == "\"" }.prefix { $0 != "\"" } }
        guard listed.map(\.partNumber) == numbers, zip(listed, received).allSatisfy({ unquoted($0.etag) == unquoted($1.etag) }) else {
            throw Self.invalidParts("List every part, in order, with the ETag its PUT answered.")
        }
        return received
    }

    private static func invalidParts(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_parts", message: message)
    }

    /// Runs the verifier; a refused object is deleted and its session rejected before the refusal (422) is thrown.
    private func verify(
        _ session: UploadSessionRecord,
        store: any ObjectStore,
        context: AppRequestContext,
        recorder: AuditRecorder
    ) async throws -> FileContentCheck.Verified {
        let verifier = StagedObjectVerifier(
            store: store,
            sniffer: sniffer,
            limits: limits,
            antivirus: antivirus,
            expectedEncryption: expectedEncryption,
            logger: context.logger
        )
        do {
            return try await verifier.verify(session)
        } catch {
            guard let refusal = Self.refusal(error) else { throw error }
            if let finding = error as? MalwareFinding { recorder.detail = finding.auditDetail }
            try await store.removeDirectUpload(session, logger: context.logger)
            _ = try await database.transitionUploadSession(
                id: session.id,
                from: [.verifying],
                to: .rejected,
                rejectionCode: refusal.code,
                audit: nil
            )
            throw refusal
        }
    }

    /// Moves the verified object to its document key under an upload intent, so that a crash before the row commits
    /// leaves nothing the abandoned-upload sweep does not remove. An intent left by an earlier attempt is reused.
    /// An image with a ``MetadataStripper`` is not moved but written anew without its metadata
    /// (``StrippedStagedImage``), and the staged object then deleted, as a move would.
    private func publish(
        _ session: UploadSessionRecord,
        type: AllowedType,
        store: any ObjectStore,
        context: AppRequestContext
    ) async throws -> Published {
        do {
            try await database.recordUploadIntent(key: session.documentKey, at: now())
        } catch  where error == .keyConflict {
            // A completion that died after recording it.
        }
        guard let stripper = makeMetadataStripper(for: type) else {
            try await store.move(from: session.stagingKey, to: session.documentKey, logger: context.logger)
            return Published(info: try await store.head(key: session.documentKey, logger: context.logger))
        }
        let stored = try await StrippedStagedImage(store: store, logger: context.logger)
            .write(from: session.stagingKey, to: session.documentKey, type: type, stripper: stripper)
        try await store.delete(key: session.stagingKey, logger: context.logger)
        return Published(info: stored.info, size: stored.size, sha256: stored.sha256, removedMetadata: stored.removedMetadata)
    }

    /// The object as stored under its document key (a copy may carry another ETag than the staged object), and, for a
    /// stripped image, the size and SHA-256 of the stored bytes, which differ from the staged ones.
    private struct Published {
        let info: ObjectInfo
        var size: Int64?
        var sha256: String?
        var removedMetadata = false
    }

    /// The 422 a refused object is answered with, or nil for an error that says nothing about the object.
    static func refusal(_ error: any Error) -> APIError? {
        switch error {
        case let mismatch as StagedObjectMismatch:
            APIError(.unprocessableContent, code: mismatch.code.rawValue, message: mismatch.message)
        case let rejection as UploadRejection:
            APIError(.unprocessableContent, code: rejection.code, message: rejection.message)
        case is MalwareFinding:
            .malwareDetected
        default:
            nil
        }
    }
}
