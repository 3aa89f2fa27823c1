import Access
import Audit
import Documents
import Foundation
import HTTPTypes
import Hummingbird
import Persistence

/// Applies ``AccessPolicy`` to one document request and writes its verdict into the audit subject: the
/// patient concerned, and the break-glass flag and reason when a provider used emergency access.
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
    static func breakGlassReason(of request: Request) throws -> String? {
        guard let reason = request.headers[breakGlassHeader]?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else { return nil }
        guard reason.count <= maxReasonLength else {
            throw APIError.invalidParameter("X-Break-Glass-Reason is limited to \(maxReasonLength) characters.")
        }
        return reason
    }

    /// Throws unless `principal` may do `action` to a document of `owner`; see the type's documentation.
    func authorize(
        _ action: DocumentAction,
        owner: DocumentOwner?,
        principal: Principal,
        request: Request,
        subject: inout AuditSubject,
        concealing: Bool = false
    ) throws {
        if let owner, owner.entityType == .patient { subject.patientID = owner.entityID.rawValue }
        let reason = try Self.breakGlassReason(of: request)
        switch AccessPolicy.decide(action, owner: owner, principal: principal, breakGlassReason: reason, now: now()) {
        case .allowed:
            return
        case .allowedByBreakGlass:
            subject.breakGlass = true
            subject.reason = reason
        case .denied(let denial):
            guard concealing, denial != .breakGlassRequired else { throw APIError.forbidden(denial) }
            subject.outcome = .denied
            throw APIError.documentNotFound
        }
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
            isRetired: record.status != .active
        )
    }
}
