import Audit
import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

extension DocumentsController {
    /// The answer to `POST restore`.
    struct RestoreResponse: Encodable, Sendable {
        let id: String
        let key: String
        let archivedKey: String
    }

    /// `POST restore` (administrators): moves an archived document back to the key it had before it was archived.
    ///
    /// The mirror image of a soft delete, in the same order: the object moves first and is put back if the index
    /// update fails, so the row and the object never disagree for longer than the request. A document already
    /// stored at the original key (which cannot happen through medvault, keys carry the document's id) is a 409
    /// before anything moves, so a restore never overwrites another object.
    @Sendable func restore(request: Request, context: AppRequestContext) async throws -> JSONResponse<RestoreResponse> {
        try await audit.perform(.documentRestore, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let store = try storage.store()
            let body = try await JSONBody.decode(DocumentSelector.self, from: request, example: #"{"id": "…"}"#)
            let record = try await body.document(in: database, recorder: recorder)
            guard record.status == .archived, let original = record.originalKey else { throw APIError.notArchived }
            let originalKey = try DocumentKey(parsing: original)
            guard try await database.document(key: originalKey.rawValue) == nil else { throw PersistenceError.keyConflict }
            try await store.move(from: record.key, to: originalKey.rawValue, logger: context.logger)
            do {
                try await recorder.commit { entry in try await database.restoreDocument(id: record.id, audit: entry) }
            } catch {
                try? await store.move(from: originalKey.rawValue, to: record.key, logger: context.logger)
                throw error
            }
            return JSONResponse(RestoreResponse(id: record.apiID, key: originalKey.rawValue, archivedKey: record.key))
        }
    }
}
