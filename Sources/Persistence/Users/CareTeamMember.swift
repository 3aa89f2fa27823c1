import Audit
import Foundation

/// One provider on one patient's care team, with the provider's email so the admin pages and
/// `medvault careteam list` can name them without a second lookup.
package struct CareTeamMember: Sendable, Equatable {
    /// The provider's user id.
    package var providerUserID: UUID
    /// The provider's sign-in email.
    package var providerEmail: String
    /// The patient whose documents the provider may see.
    package var patientID: String
    /// When the pair was added (millisecond precision).
    package var addedAt: Date
    /// Who added it (an actor id), if known.
    package var addedBy: String?

    /// Creates a member.
    package init(providerUserID: UUID, providerEmail: String, patientID: String, addedAt: Date, addedBy: String?) {
        self.providerUserID = providerUserID
        self.providerEmail = providerEmail
        self.patientID = patientID
        self.addedAt = addedAt.roundedToMilliseconds
        self.addedBy = addedBy
    }
}
