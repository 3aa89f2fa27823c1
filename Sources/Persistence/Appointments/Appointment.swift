import Audit
import Foundation

/// One appointment medvault knows of (migration `0020_appointments`): its two participants are the only
/// non-administrators who may see its chat images.
package struct Appointment: Sendable, Equatable {
    /// The appointment id, the `{appointmentId}` of `appointments/{appointmentId}/…` keys.
    package var id: String
    /// The patient the appointment is with.
    package var patientID: String
    /// The provider who holds it: their own provider id (`providers/{providerId}/`), not a user id.
    package var providerID: String
    /// When it was added (millisecond precision).
    package var createdAt: Date
    /// Who added it (an actor id).
    package var createdBy: String

    /// Creates an appointment.
    package init(id: String, patientID: String, providerID: String, createdAt: Date, createdBy: String) {
        self.id = id
        self.patientID = patientID
        self.providerID = providerID
        self.createdAt = createdAt.roundedToMilliseconds
        self.createdBy = createdBy
    }

    /// Whether `other` names the same appointment with the same two participants, which makes adding it again a
    /// no-op rather than a conflict.
    package func hasSameParticipants(as other: Appointment) -> Bool {
        id == other.id && patientID == other.patientID && providerID == other.providerID
    }
}
