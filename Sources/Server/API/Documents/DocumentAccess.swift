import Access
import Audit
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import Persistence

/// Applies ``AccessPolicy`` to one document request and returns its ``DocumentDecision``: the verdict, the patient
/// concerned, and the reason when a provider used emergency access (break-glass).
///
/// Refusals are 403, except where the request named the document by `id`: then a document the caller may
/// not see answers 404 like a missing one, because the id alone says nothing about whose it is and the
/// answer must not tell. (A provider who may break the glass still gets 403 `break_glass_required`, so they
/// know they can.) Concealed refusals are still audited as `denied`.
struct DocumentAccess: Sendable {
    /// The header a provider sends to open a patient's document outside their care team.
    static let breakGlassHeader = HTTPField.Name("X-Break-Glass-Reason")!
    /// The longest accepted reason.
    static let maxReasonLength = 500

    let now: @Sendable () -> Date

    /// The break-glass reason the request carries, if any; a reason that is too long is refused.
    static func breakGlassReason(of request: Request) throws(APIError) -> String? {
        guard let reason = request.headers[breakGlassHeader]?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else { return nil }
        guard reason.count <= maxReasonLength else {
            throw APIError.invalidParameter("X-Break-Glass-Reason is limited to \(maxReasonLength) characters.")
        }
        return reason
    }

    /// Whether `principal` may do `action` to a document of `owner`; see the type's documentation. A break-glass
    /// reason that is too long refuses the request.
    func decide(
        _ action: DocumentAction,
        owner: DocumentOwner?,
        principal: Principal,
        request: Request,
        concealing: Bool = false
    ) -> DocumentDecision {
        var decision = DocumentDecision(verdict: .allowed)
        if let owner, owner.entityType == .patient { decision.patientID = owner.entityID.rawValue }
        let reason: String?
        do {
            reason = try Self.breakGlassReason(of: request)
        } catch {
            decision.verdict = .refused(error, outcome: nil)
            return decision
        }
        switch AccessPolicy.decide(action, owner: owner, principal: principal, breakGlassReason: reason, now: now()) {
        case .allowed:
            break
        case .allowedByBreakGlass:
            decision.breakGlassReason = reason
        case .denied(let denial):
            decision.verdict =
                concealing && denial != .breakGlassRequired
                ? .refused(.documentNotFound, outcome: .denied) : .refused(.forbidden(denial), outcome: nil)
        }
        return decision
    }
}

extension DocumentOwner {
    /// The owner a stored index row records (a row whose entity id fails validation belongs to nobody but
    /// administrators).
    init?(record: DocumentRecord) {
        guard let id = try? EntityID(validating: record.entityID) else { return nil }
        self.init(
            entityType: record.entityType,
            entityID: id,
            uploadedBy: record.uploadedBy,
            uploadedAt: record.uploadedAt,
            isRetired: record.status != .active,
            folder: record.category.folder
        )
    }
}
