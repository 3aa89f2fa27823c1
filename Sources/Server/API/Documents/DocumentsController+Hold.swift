import Access
import Audit
import Foundation
import Hummingbird
import Persistence

extension DocumentsController {
    /// The JSON body of `POST hold`: the document (`id` or `key`) and why it is held.
    struct HoldRequest: Decodable {
        let id: String?
        let key: String?
        let reason: String?

        var selector: DocumentSelector { DocumentSelector(id: id, key: key) }
    }

    /// The answer to `POST hold` and `DELETE hold`: the document and its hold (`null` once released).
    struct HoldResponse: Encodable, Sendable {
        let id: String
        let key: String
        let legalHold: LegalHoldResponse?

        init(_ record: DocumentRecord) {
            id = record.apiID
            key = record.key
            legalHold = LegalHoldResponse(record)
        }

        /// Spelled out so that a released hold is `null` rather than absent.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(key, forKey: .key)
            try container.encode(legalHold, forKey: .legalHold)
        }

        private enum CodingKeys: String, CodingKey {
            case id, key, legalHold
        }
    }

    /// The longest hold reason (the schema's CHECK allows no more).
    static let maxHoldReasonLength = 500

    /// `POST hold` (administrators): places a legal hold on a document, active or archived, or replaces its reason.
    /// While held, the document cannot be archived, deleted, erased, expired or transitioned (409 `legal_hold`).
    @Sendable func hold(request: Request, context: AppRequestContext) async throws -> JSONResponse<HoldResponse> {
        try await audit.perform(.documentHold, request: request, context: context) { recorder in
            let principal = try context.requireAdministrator()
            let body = try await JSONBody.decode(HoldRequest.self, from: request, example: #"{"id": "…", "reason": "…"}"#)
            guard let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                throw APIError.missingParameter("Give the hold's `reason`.")
            }
            guard reason.count <= Self.maxHoldReasonLength, reason.utf8.count <= 4 * Self.maxHoldReasonLength, !reason.contains("\0") else {
                throw APIError.invalidParameter("`reason` is limited to \(Self.maxHoldReasonLength) characters.")
            }
            let record = try await body.selector.document(in: database, recorder: recorder)
            recorder.reason = reason
            let held = try await recorder.commit { entry in
                try await database.holdDocument(id: record.id, reason: reason, by: principal.userID, at: now(), audit: entry)
            }
            return JSONResponse(HoldResponse(held))
        }
    }

    /// `DELETE hold` (administrators): releases a document's legal hold; 409 `not_held` when there is none.
    @Sendable func releaseHold(request: Request, context: AppRequestContext) async throws -> JSONResponse<HoldResponse> {
        try await audit.perform(.documentHoldRelease, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let body = try await JSONBody.decode(DocumentSelector.self, from: request, example: #"{"id": "…"}"#)
            let record = try await body.document(in: database, recorder: recorder)
            let released = try await recorder.commit { entry in try await database.releaseHold(id: record.id, audit: entry) }
            return JSONResponse(HoldResponse(released))
        }
    }
}
