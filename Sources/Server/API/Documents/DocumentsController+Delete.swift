import Access
import Audit
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ObjectStorage
import Persistence

extension DocumentsController {
    /// The JSON body of `DELETE delete`.
    struct DeleteRequest: Decodable {
        let key: String
        let permanent: Bool?
    }

    /// The answer to `DELETE delete`.
    struct DeleteResponse: Encodable, Sendable {
        let id: String
        let key: String
        let archivedKey: String?
        let permanent: Bool
    }

    /// `DELETE delete`: moves a document to `archived/` (soft delete), or removes it with `permanent: true`.
    ///
    /// Order matters so that nothing is ever half-done: a soft delete moves the object first and puts it
    /// back if the index update fails; a permanent delete removes the index row first, so that a failed
    /// object removal leaves an invisible orphan rather than a row pointing at nothing.
    @Sendable func delete(request: Request, context: AppRequestContext) async throws -> JSONResponse<DeleteResponse> {
        try await audit.perform(.documentArchive, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            let store = try storage.store()
            let body = try await JSONBody.decode(DeleteRequest.self, from: request, example: #"{"key": "…", "permanent": false}"#)
            let key = try DocumentKey(parsing: body.key)
            let permanent = body.permanent == true
            if permanent { recorder.action = .documentDelete }
            let record = try recorder.admit(
                try await documentDecision(permanent ? .permanentDelete : .archive, key: key, principal: principal, request: request)
            )
            if permanent {
                try await recorder.commit { entry in try await database.deleteDocument(id: record.id, audit: entry) }
                do {
                    _ = try await store.erase(document: record, logger: context.logger)
                } catch {
                    context.logger.warning("object left orphaned after permanent delete", metadata: ["error.type": "\(type(of: error))"])
                }
                return JSONResponse(DeleteResponse(id: record.apiID, key: record.key, archivedKey: nil, permanent: true))
            }
            guard record.status == .active, case .entity = key.location else {
                throw APIError(.conflict, code: "already_archived", message: "The document is already archived.")
            }
            // Refused before the object moves; the index refuses again inside the transaction, for a hold placed meanwhile.
            guard !record.isHeld else { throw APIError.legalHold }
            let archivedKey = KeyLayout.archivedKey(for: key)
            try await store.move(from: key.rawValue, to: archivedKey.rawValue, logger: context.logger)
            do {
                try await recorder.commit { entry in
                    try await database.archiveDocument(id: record.id, archivedKey: archivedKey.rawValue, at: now(), audit: entry)
                }
            } catch {
                try? await store.move(from: archivedKey.rawValue, to: key.rawValue, logger: context.logger)
                throw error
            }
            return JSONResponse(DeleteResponse(id: record.apiID, key: key.rawValue, archivedKey: archivedKey.rawValue, permanent: false))
        }
    }
}
