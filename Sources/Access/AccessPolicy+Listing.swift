import Documents
import Foundation

/// Which documents a listing may return.
package enum ListingScope: Sendable, Equatable {
    /// Every document the query matches (administrators).
    case everything
    /// Only documents of these entities; see ``VisibleEntities``.
    case restricted(VisibleEntities)
}

/// The entities whose documents a non-administrator may list: a filter the database applies to every row, so
/// a listing can only ever contain what the caller may see, whatever the prefix, search or page.
package struct VisibleEntities: Sendable, Equatable {
    /// Patients whose documents are visible.
    package var patientIDs: Set<EntityID>
    /// Providers whose documents are visible.
    package var providerIDs: Set<EntityID>
    /// Appointments whose documents are visible (the one whose chat a participant lists).
    package var appointmentIDs: Set<EntityID> = []
    /// Appointment and prescription documents uploaded by this user are visible.
    package var uploadedBy: String?

    /// Makes `id`'s documents visible, for a listing the prefix keeps inside one of its folders.
    mutating func insert(_ type: EntityType, _ id: EntityID) {
        switch type {
        case .patient: patientIDs.insert(id)
        case .provider: providerIDs.insert(id)
        case .appointment: appointmentIDs.insert(id)
        case .prescription: break
        }
    }
}

/// A listing the policy allowed: what it may return, and whether a break-glass reason was needed for it.
package struct ListingAccess: Sendable, Equatable {
    package let scope: ListingScope
    package let breakGlass: Bool
}

extension AccessPolicy {
    /// Decides a listing under `prefix`.
    ///
    /// A prefix that names one entity (`patients/P1/…`) is decided like reading that entity's documents, so
    /// another patient's id is refused rather than answered with an empty page; `archived/` and `temp/` are
    /// for administrators. Every allowed listing is still filtered to the caller's ``VisibleEntities``.
    package static func decideListing(
        prefix: KeyLayout.KeyPrefix,
        principal: Principal,
        breakGlassReason: String? = nil
    ) throws(AccessDenial) -> ListingAccess {
        if principal.role == .admin { return ListingAccess(scope: .everything, breakGlass: false) }
        var visible = visibleEntities(of: principal)
        switch prefix.reach {
        case .broad:
            return ListingAccess(scope: .restricted(visible), breakGlass: false)
        case .archived, .temp:
            throw .notPermitted
        case .entity(let type, let id):
            // Naming an appointment or prescription is fine: its rows are still filtered by `uploadedBy`.
            let owner = DocumentOwner(entityType: type, entityID: id, uploadedBy: principal.userID, folder: prefix.folder)
            // Listing does not depend on time; `now` only matters for archiving.
            switch decide(.list, owner: owner, principal: principal, breakGlassReason: breakGlassReason, now: .distantPast) {
            case .allowed:
                // A media folder another's rules open (a care provider's therapy media, an appointment's chat): the
                // prefix keeps the listing inside that one folder.
                if mediaDecision(.list, owner: owner, principal: principal) == .allowed { visible.insert(type, id) }
                return ListingAccess(scope: .restricted(visible), breakGlass: false)
            case .allowedByBreakGlass:
                visible.patientIDs.insert(id)
                return ListingAccess(scope: .restricted(visible), breakGlass: true)
            case .denied(let denial):
                throw denial
            }
        }
    }

    /// What a non-administrator sees without naming an entity.
    package static func visibleEntities(of principal: Principal) -> VisibleEntities {
        switch principal.role {
        case .admin, .patient:
            VisibleEntities(patientIDs: Set([principal.patientID].compactMap { $0 }), providerIDs: [], uploadedBy: nil)
        case .provider:
            VisibleEntities(
                patientIDs: principal.careTeam,
                providerIDs: Set([principal.providerID].compactMap { $0 }),
                uploadedBy: principal.userID
            )
        }
    }
}
