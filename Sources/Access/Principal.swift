import Documents

/// The authenticated caller of one request, as the access policy needs them.
///
/// Built per request from the user's stored record (a session) or a verified bearer token, so a care-team or
/// appointment change, or a disabled account, takes effect on the next request.
package struct Principal: Sendable, Equatable {
    /// The user's id in medvault (lowercase UUID text); what `uploaded_by` and the audit trail record.
    package let userID: String
    /// The user's role.
    package let role: Role
    /// For a patient, the patient id they are; their documents live under `patients/{patientID}/`.
    package let patientID: EntityID?
    /// For a provider, their own folder `providers/{providerID}/`.
    package let providerID: EntityID?
    /// For a provider, the patients on their care team.
    package let careTeam: Set<EntityID>
    /// For a patient, the provider ids of the providers with them on their care team: whose therapy media they see.
    package let careProviders: Set<EntityID>
    /// The appointments the caller takes part in (as its patient or its provider): whose chat images they see.
    package let appointments: Set<EntityID>

    /// Creates a principal; the role's own id (`patientID` for patients, `providerID` for providers) is what
    /// scopes them, ids of the other kind are ignored by the policy.
    package init(
        userID: String,
        role: Role,
        patientID: EntityID? = nil,
        providerID: EntityID? = nil,
        careTeam: Set<EntityID> = [],
        careProviders: Set<EntityID> = [],
        appointments: Set<EntityID> = []
    ) {
        self.userID = userID
        self.role = role
        self.patientID = patientID
        self.providerID = providerID
        self.careTeam = careTeam
        self.careProviders = careProviders
        self.appointments = appointments
    }
}
