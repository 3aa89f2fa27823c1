import Audit
import Foundation

/// The appointments medvault knows of, and who takes part in each: what decides access to chat images.
package protocol Appointments: Sendable {
    /// Records `appointment` and writes `audit`, in one transaction; returns whether it is new.
    ///
    /// Idempotent for the same participants: nothing changes (the first `createdAt` and `createdBy` stay) but the
    /// call is still audited. Throws ``PersistenceError/keyConflict`` (and writes nothing) if the id is taken by an
    /// appointment with other participants: participants never change.
    @discardableResult
    func addAppointment(_ appointment: Appointment, audit: AuditEntry) async throws(PersistenceError) -> Bool

    /// The appointment with `id`, if any.
    func appointment(id: String) async throws(PersistenceError) -> Appointment?

    /// The ids of the appointments `participant` takes part in, sorted bytewise; read on every request of a
    /// patient or provider (one indexed read), so a new appointment opens its chat at once.
    func appointmentIDs(of participant: AppointmentParticipant) async throws(PersistenceError) -> [String]
}
