/// Which documents a listing may return to a caller who is not an admin; the access policy builds it from the
/// caller's identity and care team, and the listing applies it in SQL so no page ever holds another's row.
///
/// A document is visible when it belongs to one of `patientIDs` (entity type `patient`), to one of `providerIDs`
/// (entity type `provider`), to one of `appointmentIDs`, or is an appointment or prescription document uploaded by
/// `uploadedBy`. The
/// decision uses the stored entity, never the key's text. An empty visibility matches nothing.
package struct DocumentVisibility: Sendable, Equatable {
    /// Patients whose documents are visible: a patient's own id, or a provider's care team.
    package var patientIDs: [String]
    /// Providers whose own documents are visible: a provider's own id.
    package var providerIDs: [String]
    /// Appointments whose documents are visible: the one whose chat a participant lists (the listing's prefix keeps
    /// it inside the chat folder).
    package var appointmentIDs: [String]
    /// The uploader (an actor id) whose appointment and prescription documents are visible; those entities
    /// belong to no one patient in the index, so only their uploader sees them outside an admin's view.
    package var uploadedBy: String?

    /// Creates a visibility; by default nothing is visible.
    package init(patientIDs: [String] = [], providerIDs: [String] = [], appointmentIDs: [String] = [], uploadedBy: String? = nil) {
        self.patientIDs = patientIDs
        self.providerIDs = providerIDs
        self.appointmentIDs = appointmentIDs
        self.uploadedBy = uploadedBy
    }
}
