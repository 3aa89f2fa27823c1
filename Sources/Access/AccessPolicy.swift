import Documents
import Foundation

/// The one place that decides who may do what to which document (DESIGN.md, "Access").
///
/// - patient: documents of their own patient id only; upload, list, read (download, pre-sign); archive only
///   what they uploaded themselves within ``patientDeleteWindow``.
/// - provider: documents of patients on their care team and of their own provider id; upload, list, read,
///   archive. Appointment and prescription documents: upload, and the rest for what they uploaded. Outside
///   the care team, reading and listing a patient's documents is allowed only with a break-glass reason.
/// - revoke (every pre-signed URL of a document): the patient for their own documents, and admins.
/// - admin: everything.
/// - the media folders (therapy media, profile and verification photos, chat images) add cells of their own:
///   see ``mediaDecision(_:owner:principal:)``.
///
/// Decisions are made from a ``DocumentOwner`` (the stored row, or a parsed key) and never from strings
/// given by the caller, so no spelling of a key can reach another patient's documents.
package enum AccessPolicy {
    /// How long a patient may delete a document they uploaded.
    package static let patientDeleteWindow: TimeInterval = 24 * 60 * 60

    /// Decides `action` on a document of `owner` (nil: a `temp/` key, which belongs to no entity).
    ///
    /// - Parameter breakGlassReason: the provider's emergency reason (`X-Break-Glass-Reason`), if sent;
    ///   blank reasons count as none.
    package static func decide(
        _ action: DocumentAction,
        owner: DocumentOwner?,
        principal: Principal,
        breakGlassReason: String? = nil,
        now: Date
    ) -> AccessDecision {
        guard principal.role != .admin else { return .allowed }
        guard action != .permanentDelete else { return .denied(.adminOnly) }
        guard let owner, !owner.isRetired else { return .denied(.notPermitted) }
        // A revocation cuts off every holder of a URL: the patient decides that for their own documents, else an admin.
        guard action != .revoke || principal.role == .patient else { return .denied(.notPermitted) }
        if let decision = mediaDecision(action, owner: owner, principal: principal) { return decision }
        return principal.role == .patient
            ? patientDecision(action, owner: owner, principal: principal, now: now)
            : providerDecision(action, owner: owner, principal: principal, breakGlassReason: breakGlassReason)
    }

    /// Decides a call that is not about one document (statistics, configuration, users, care teams, the
    /// audit trail, the self-check): administrators only.
    package static func decideAdministration(principal: Principal) -> AccessDecision {
        principal.role == .admin ? .allowed : .denied(.adminOnly)
    }

    private static func patientDecision(_ action: DocumentAction, owner: DocumentOwner, principal: Principal, now: Date) -> AccessDecision {
        guard owner.entityType == .patient, let own = principal.patientID, owner.entityID == own else { return .denied(.notPermitted) }
        guard action == .archive else { return .allowed }
        guard let uploader = owner.uploadedBy, uploader == principal.userID else { return .denied(.notPermitted) }
        guard let uploadedAt = owner.uploadedAt, now.timeIntervalSince(uploadedAt) < patientDeleteWindow else {
            return .denied(.deleteWindowClosed)
        }
        return .allowed
    }

    private static func providerDecision(
        _ action: DocumentAction,
        owner: DocumentOwner,
        principal: Principal,
        breakGlassReason: String?
    ) -> AccessDecision {
        switch owner.entityType {
        case .patient:
            if principal.careTeam.contains(owner.entityID) { return .allowed }
            guard action == .read || action == .list else { return .denied(.notPermitted) }
            return hasReason(breakGlassReason) ? .allowedByBreakGlass : .denied(.breakGlassRequired)
        case .provider:
            return owner.entityID == principal.providerID ? .allowed : .denied(.notPermitted)
        case .appointment, .prescription:
            if action == .upload { return .allowed }
            return owner.uploadedBy == principal.userID ? .allowed : .denied(.notPermitted)
        }
    }

    /// Whether `reason` has anything visible in it: whitespace and invisible characters (zero-width spaces, byte
    /// order marks, controls) make a reason as blank as no reason.
    static func hasReason(_ reason: String?) -> Bool {
        reason.map { !$0.unicodeScalars.allSatisfy(isInvisible) } ?? false
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.isDefaultIgnorableCodePoint || scalar.properties.generalCategory == .control
    }
}
