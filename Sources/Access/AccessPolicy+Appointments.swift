import Documents

extension AccessPolicy {
    /// Decides who may make an appointment known (`POST /api/v2/appointments`): administrators, and the provider
    /// who holds it (`providerID` is their own provider id). Patients may not: an appointment opens its chat images
    /// to the provider, so the provider (or an administrator) vouches for it.
    package static func decideAppointment(providerID: EntityID, principal: Principal) -> AccessDecision {
        switch principal.role {
        case .admin: .allowed
        case .provider: principal.providerID == providerID ? .allowed : .denied(.notPermitted)
        case .patient: .denied(.notPermitted)
        }
    }
}
