import Audit
import Foundation
import GRDB

/// The appointments table (migration `0020_appointments`).
extension SQLiteDatabase {
    /// Inserts `appointment` unless its id exists, and writes `audit`, in one transaction; an existing id with other
    /// participants throws ``PersistenceError/keyConflict`` and rolls the audit row back with it.
    @discardableResult
    package func addAppointment(_ appointment: Appointment, audit: AuditEntry) async throws(PersistenceError) -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO appointments (id, patient_id, provider_id, created_at, created_by) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO NOTHING
                    """,
                arguments: [
                    appointment.id, appointment.patientID, appointment.providerID, appointment.createdAt.millisecondsSince1970,
                    appointment.createdBy,
                ]
            )
            let added = db.changesCount > 0
            if !added {
                guard let existing = try Self.fetchAppointment(id: appointment.id, in: db), existing.hasSameParticipants(as: appointment) else {
                    throw PersistenceError.keyConflict.with(cause: "the appointment id is taken by other participants")
                }
            }
            _ = try appendAudit(audit, in: db)
            return added
        }
    }

    /// The appointment with `id`, if any.
    package func appointment(id: String) async throws(PersistenceError) -> Appointment? {
        try await read { db in try Self.fetchAppointment(id: id, in: db) }
    }

    /// The ids of `participant`'s appointments, through `appointments_patient` or `appointments_provider`.
    package func appointmentIDs(of participant: AppointmentParticipant) async throws(PersistenceError) -> [String] {
        try await read { db in
            switch participant {
            case .patient(let patientID):
                try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM appointments WHERE patient_id = ? ORDER BY id"), arguments: [patientID])
            case .provider(let providerID):
                try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM appointments WHERE provider_id = ? ORDER BY id"), arguments: [providerID])
            }
        }
    }

    private static func fetchAppointment(id: String, in db: Database) throws -> Appointment? {
        try Row.fetchOne(db, sql: "SELECT * FROM appointments WHERE id = ?", arguments: [id]).map { row in
            Appointment(
                id: row["id"],
                patientID: row["patient_id"],
                providerID: row["provider_id"],
                createdAt: Date(millisecondsSince1970: row["created_at"]),
                createdBy: row["created_by"]
            )
        }
    }
}
