/// What a signed-in user is to medvault, which decides what the access policy lets them do (DESIGN.md, "Access").
///
/// The raw values are stored in `users.role`, carried in the JWT `role` claim and written to the audit trail,
/// so they are a contract: never rename one.
package enum Role: String, CaseIterable, Sendable, Codable {
    /// A patient: their own documents only.
    case patient
    /// A clinician or staff member: documents of the patients on their care team, and their own.
    case provider
    /// An administrator: everything, plus statistics, configuration, users, care teams and the audit trail.
    case admin
}
