import Access
import Audit
import Documents
import Foundation
import Hummingbird
import Persistence

/// `POST /api/v2/appointments`: makes an appointment known, so that its two participants (and they alone, with
/// administrators) may see its chat images. Administrators may add any; a provider the ones they hold. Audited
/// `appointment.add`.
struct AppointmentsController: Sendable {
    let database: any Appointments
    let audit: AuditTrail
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(use: add)
    }

    struct NewAppointment: Decodable {
        let id: String
        let patientId: String
        let providerId: String

        static let example = #"{"id": "A1", "patientId": "P1", "providerId": "E1"}"#
    }

    struct AppointmentResponse: Encodable, Sendable {
        let id: String
        let patientId: String
        let providerId: String
        let createdAt: String
        let createdBy: String
    }

    /// 201 with the appointment when it is new, 200 with it when it existed with the same participants, 409
    /// `appointment_exists` when its id is taken by other participants.
    @Sendable func add(request: Request, context: AppRequestContext) async throws -> JSONResponse<AppointmentResponse> {
        try await audit.perform(.appointmentAdd, request: request, context: context) { recorder in
            let principal = try context.requirePrincipal()
            // No body can make a patient's request allowed: refused before it is read.
            if principal.role == .patient { throw APIError.forbidden(.notPermitted) }
            let body = try await JSONBody.decode(NewAppointment.self, from: request, example: NewAppointment.example)
            let id = try Self.entityID(body.id, field: "id")
            let patientID = try Self.entityID(body.patientId, field: "patientId")
            let providerID = try Self.entityID(body.providerId, field: "providerId")
            recorder.patientID = patientID.rawValue
            recorder.detail = "appointment \(id.rawValue), provider \(providerID.rawValue)"
            if case .denied(let denial) = AccessPolicy.decideAppointment(providerID: providerID, principal: principal) {
                throw APIError.forbidden(denial)
            }
            let appointment = Appointment(
                id: id.rawValue,
                patientID: patientID.rawValue,
                providerID: providerID.rawValue,
                createdAt: now(),
                createdBy: principal.userID
            )
            recorder.httpStatus = 201
            let added: Bool
            do {
                added = try await recorder.commit { entry in try await database.addAppointment(appointment, audit: entry) }
            } catch let error as PersistenceError where error == .keyConflict {
                throw APIError(.conflict, code: "appointment_exists", message: "An appointment with this id exists with other participants.")
            }
            // The stored row: a repeated request answers with the first one's time and author.
            let stored = try await database.appointment(id: appointment.id) ?? appointment
            return JSONResponse(
                AppointmentResponse(
                    id: stored.id,
                    patientId: stored.patientID,
                    providerId: stored.providerID,
                    createdAt: MillisecondTimestamp.string(stored.createdAt),
                    createdBy: stored.createdBy
                ),
                status: added ? .created : .ok
            )
        }
    }

    /// `raw` as an entity id, or 400 `invalid_entity_id` naming `field`.
    private static func entityID(_ raw: String, field: String) throws -> EntityID {
        guard let id = try? EntityID(validating: raw) else {
            throw APIError(.badRequest, code: "invalid_entity_id", message: "`\(field)` must be 1 to 64 characters from A-Z, a-z, 0-9, _ and -.")
        }
        return id
    }
}
