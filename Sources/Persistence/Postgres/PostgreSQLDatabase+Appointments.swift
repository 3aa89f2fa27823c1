import Audit
import Foundation
import PostgresNIO

/// The appointments table (migration `0020_appointments`).
extension PostgreSQLDatabase {
    /// Inserts `appointment` unless its id exists, and writes `audit`, in one transaction; an existing id with other
    /// participants throws ``PersistenceError/keyConflict`` and rolls the audit row back with it. A concurrent insert
    /// of the same id waits on the primary key, so the row read after `DO NOTHING` is the committed one.
    @discardableResult
    package func addAppointment(_ appointment: Appointment, audit: AuditEntry) async throws(PersistenceError) -> Bool {
        let logger = logger
        return try await write { connection in
            let added =
                try await connection.query(
                    """
                    INSERT INTO appointments (id, patient_id, provider_id, created_at, created_by)
                    VALUES (\(appointment.id), \(appointment.patientID), \(appointment.providerID),
                            \(appointment.createdAt.millisecondsSince1970), \(appointment.createdBy))
                    ON CONFLICT (id) DO NOTHING RETURNING 1
                    """,
                    logger: logger
                ).first() != nil
            if !added {
                let existing = try await Self.fetchAppointment(id: appointment.id, on: connection, logger: logger)
                guard let existing, existing.hasSameParticipants(as: appointment) else {
                    throw PersistenceError.keyConflict.with(cause: "the appointment id is taken by other participants")
                }
            }
            _ = try await appendAudit([audit], on: connection)
            return added
        }
    }

    /// The appointment with `id`, if any.
    package func appointment(id: String) async throws(PersistenceError) -> Appointment? {
        let logger = logger
        return try await read { connection in try await Self.fetchAppointment(id: id, on: connection, logger: logger) }
    }

    /// The ids of `participant`'s appointments, through `appointments_patient` or `appointments_provider`.
    package func appointmentIDs(of participant: AppointmentParticipant) async throws(PersistenceError) -> [String] {
        let logger = logger
        return try await read { connection in
            switch participant {
            case .patient(let patientID):
                try await connection.query("SELECT id FROM appointments WHERE patient_id = \(patientID) ORDER BY id", logger: logger)
                    .decodeAll(String.self)
            case .provider(let providerID):
                try await connection.query("SELECT id FROM appointments WHERE provider_id = \(providerID) ORDER BY id", logger: logger)
                    .decodeAll(String.self)
            }
        }
    }

    private static func fetchAppointment(id: String, on connection: PostgresConnection, logger: Logger) async throws -> Appointment? {
        let rows = try await connection.query(
            "SELECT id, patient_id, provider_id, created_at, created_by FROM appointments WHERE id = \(id)",
            logger: logger
        )
        for try await (id, patientID, providerID, createdAt, createdBy) in rows.decode((String, String, String, Int64, String).self) {
            return Appointment(
                id: id,
                patientID: patientID,
                providerID: providerID,
                createdAt: Date(millisecondsSince1970: createdAt),
                createdBy: createdBy
            )
        }
        return nil
    }
}
