import Audit
import Foundation

/// Which provider may see which patient's documents.
package protocol CareTeams: Sendable {
    /// Puts a provider on a patient's care team and writes `audit`, in one transaction; returns whether the pair
    /// is new.
    ///
    /// Idempotent: adding a pair that exists changes nothing (its original `addedAt` and `addedBy` stay) but is
    /// still audited. Throws ``PersistenceError/notFound`` if no user has `providerUserID`,
    /// ``PersistenceError/constraintViolation`` if that user is not a provider.
    @discardableResult
    func addCareTeamMember(
        providerUserID: UUID,
        patientID: String,
        at date: Date,
        addedBy: String?,
        audit: AuditEntry
    )
        async throws(PersistenceError) -> Bool

    /// Takes a provider off a patient's care team and writes `audit`, in one transaction; returns whether the pair
    /// existed. Audited either way.
    @discardableResult
    func removeCareTeamMember(providerUserID: UUID, patientID: String, audit: AuditEntry) async throws(PersistenceError) -> Bool

    /// The patient ids on a provider's care team, sorted: what the access policy and restricted listings use.
    func careTeam(providerUserID: UUID) async throws(PersistenceError) -> [String]

    /// The provider ids (`providers/{providerId}/`, not user ids) of the providers with `patientID` on their care
    /// team, sorted: the libraries of therapy media the patient may read. One read through
    /// `care_team_members_patient`, made on every request of a patient.
    func careProviders(patientID: String) async throws(PersistenceError) -> [String]

    /// Every care-team pair with the provider's email, ordered by email then patient id.
    func careTeamMembers() async throws(PersistenceError) -> [CareTeamMember]
}
