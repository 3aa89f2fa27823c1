/// Someone who can take part in an appointment, as the appointments table records them.
package enum AppointmentParticipant: Sendable, Equatable {
    /// A patient, by patient id.
    case patient(String)
    /// A provider, by their own provider id (not their user id).
    case provider(String)
}
