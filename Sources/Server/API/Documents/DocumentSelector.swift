import Documents
import Foundation
import Persistence

/// A JSON body naming one document by `id` or by its current `key` (exactly one of them), as the administrators'
/// document operations (restore, legal hold) take it.
struct DocumentSelector: Decodable, Sendable {
    let id: String?
    let key: String?

    /// The document the body names (noted on `recorder` as it is learnt), or a 400 for a body naming none, both, or a malformed one, and a 404 for none stored.
    func document(in index: any DocumentIndex, recorder: AuditRecorder) async throws -> DocumentRecord {
        let found: DocumentRecord?
        switch (id, key) {
        case (let id?, nil):
            guard let uuid = UUID(parsing: id) else { throw APIError.invalidDocumentID }
            recorder.documentID = uuid.lowercaseText
            found = try await index.document(id: uuid)
        case (nil, let key?):
            let parsed = try DocumentKey(parsing: key)
            recorder.documentKey = parsed.rawValue
            found = try await index.document(key: parsed.rawValue)
        case (nil, nil):
            throw APIError.missingParameter("Give the document's `id` or `key`.")
        default:
            throw APIError.invalidParameter("Give exactly one of `id` and `key`.")
        }
        guard let record = found else { throw APIError.documentNotFound }
        recorder.documentID = record.apiID
        recorder.documentKey = record.key
        if record.entityType == .patient { recorder.patientID = record.entityID }
        return record
    }
}
