import Documents

extension AccessPolicy {
    /// Decides an export of every document of one entity (`GET /api/v2/entities/{entityType}/{entityId}/export`):
    /// the patient themself (their right of access to their record), the providers with that patient on their care
    /// team, and administrators. Other entity types are exported by administrators only.
    ///
    /// Break-glass does not open an export: an emergency justifies reading the documents it needs, one request at a
    /// time, each audited, not carrying off a whole record.
    package static func decideExport(entityType: EntityType, entityID: EntityID, principal: Principal) -> AccessDecision {
        switch principal.role {
        case .admin:
            return .allowed
        case .patient:
            return entityType == .patient && principal.patientID == entityID ? .allowed : .denied(.notPermitted)
        case .provider:
            return entityType == .patient && principal.careTeam.contains(entityID) ? .allowed : .denied(.notPermitted)
        }
    }
}
