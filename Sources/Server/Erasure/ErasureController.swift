import Access
import Audit
import Documents
import Foundation
import Hummingbird
import ObjectStorage
import Persistence

/// `POST /api/v2/entities/{entityType}/{entityId}/erasure` (administrators): erases every document of one entity for
/// good and answers the receipt; see ``EntityErasure`` for what goes and in which order.
struct ErasureController: Sendable {
    let database: any AppDatabase
    let storage: StorageAccess
    let audit: AuditTrail

    /// The JSON body: why the entity is erased (kept in the audit row).
    struct ErasureRequest: Decodable {
        let reason: String?
    }

    /// The receipt, as JSON.
    struct ReceiptResponse: Encodable, Sendable {
        let entityType: String
        let entityId: String
        let documents: Int
        let bytes: Int64
        let objectsDeleted: Int
        let versionsDeleted: Int
        let completedAt: String
        let auditSequence: Int64

        init(_ receipt: EntityErasureReceipt) {
            entityType = receipt.entityType
            entityId = receipt.entityId
            documents = receipt.documents
            bytes = receipt.bytes
            objectsDeleted = receipt.objectsDeleted
            versionsDeleted = receipt.versionsDeleted
            completedAt = MillisecondTimestamp.string(receipt.completedAt)
            auditSequence = receipt.auditSequence
        }
    }

    /// The longest reason (as for legal holds).
    static let maxReasonLength = 500

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(":entityType/:entityId/erasure", use: erase)
    }

    /// Checks the caller, the entity and the reason before anything changes; a held document refuses the whole
    /// erasure (409 `legal_hold`). Audited `entity.erase` with the counts (never file names) and the reason.
    @Sendable func erase(request: Request, context: AppRequestContext) async throws -> JSONResponse<ReceiptResponse> {
        try await audit.perform(.entityErase, request: request, context: context) { recorder in
            try context.requireAdministrator()
            let store = try storage.store()
            guard let entityType = EntityType(rawValue: context.parameters.get("entityType") ?? "") else {
                let valid = EntityType.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError(.badRequest, code: "invalid_entity_type", message: "Unknown entityType. Valid types: \(valid).")
            }
            let entityID = try EntityID(validating: context.parameters.get("entityId") ?? "")
            if entityType == .patient { recorder.patientID = entityID.rawValue }
            let body = try await JSONBody.decode(ErasureRequest.self, from: request, example: #"{"reason": "…"}"#)
            guard let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                throw APIError.missingParameter("Give the erasure's `reason`.")
            }
            guard reason.count <= Self.maxReasonLength, reason.utf8.count <= 4 * Self.maxReasonLength, !reason.contains("\0") else {
                throw APIError.invalidParameter("`reason` is limited to \(Self.maxReasonLength) characters.")
            }
            recorder.reason = reason
            recorder.detail = "\(entityType.rawValue)"
            let erasure = EntityErasure(store: store, database: database, logger: context.logger)
            let receipt = try await recorder.commit { entry in
                try await erasure.run(entityType: entityType, entityID: entityID) { detail in
                    var entry = entry
                    entry.detail = detail
                    return entry
                }
            }
            return JSONResponse(ReceiptResponse(receipt))
        }
    }
}
