import Access
import Audit
import Foundation
import Testing

@testable import Persistence

@Suite("Appointments")
struct AppointmentTests {
    static func appointment(_ id: String, patient: String = "p1", provider: String = "dr1", by actor: String = "admin-1") -> Appointment {
        let createdAt = Date(millisecondsSince1970: Fixtures.baseMilliseconds)
        return Appointment(id: id, patientID: patient, providerID: provider, createdAt: createdAt, createdBy: actor)
    }

    @Test("adding is idempotent for the same participants, audited each time, and reads back as first added", arguments: TestEngine.all)
    func addIsIdempotent(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            #expect(try await database.appointment(id: "a1") == nil)
            #expect(try await database.addAppointment(Self.appointment("a1"), audit: Fixtures.audit(.appointmentAdd)))
            let again = Self.appointment("a1", by: "someone-else")
            #expect(try await database.addAppointment(again, audit: Fixtures.audit(.appointmentAdd, request: 2)) == false)
            #expect(try await database.appointment(id: "a1") == Self.appointment("a1"))
            let actions = try await database.auditEvents(after: nil, limit: 10).map(\.entry.action)
            #expect(actions == [.appointmentAdd, .appointmentAdd])
        }
    }

    @Test("an id taken by other participants is a key conflict that writes nothing, not even its audit row", arguments: TestEngine.all)
    func conflictingParticipants(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await database.addAppointment(Self.appointment("a1"), audit: Fixtures.audit(.appointmentAdd))
            for other in [Self.appointment("a1", patient: "p2"), Self.appointment("a1", provider: "dr2")] {
                await #expect(throws: PersistenceError.keyConflict) {
                    try await database.addAppointment(other, audit: Fixtures.audit(.appointmentAdd, request: 2))
                }
            }
            #expect(try await database.appointment(id: "a1") == Self.appointment("a1"))
            #expect(try await database.auditEvents(after: nil, limit: 10).count == 1)
        }
    }

    @Test("each participant sees the ids of their own appointments only, sorted", arguments: TestEngine.all)
    func participantsAppointments(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            for appointment in [
                Self.appointment("a2"), Self.appointment("a1"), Self.appointment("b1", patient: "p2"), Self.appointment("c1", provider: "dr2"),
            ] {
                try await database.addAppointment(appointment, audit: Fixtures.audit(.appointmentAdd))
            }
            #expect(try await database.appointmentIDs(of: .patient("p1")) == ["a1", "a2", "c1"])
            #expect(try await database.appointmentIDs(of: .patient("p2")) == ["b1"])
            #expect(try await database.appointmentIDs(of: .provider("dr1")) == ["a1", "a2", "b1"])
            #expect(try await database.appointmentIDs(of: .provider("dr2")) == ["c1"])
            // A patient id and a provider id never stand in for each other, nor does a case variant.
            #expect(try await database.appointmentIDs(of: .provider("p1")) == [])
            #expect(try await database.appointmentIDs(of: .patient("P1")) == [])
        }
    }

    @Test("the schema refuses an id outside the entity-id rule", arguments: TestEngine.all)
    func schemaRefusesBadIDs(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            for bad in ["", "a/b", "a..b", "a b", String(repeating: "a", count: 65)] {
                await #expect(throws: PersistenceError.constraintViolation) {
                    try await database.addAppointment(Self.appointment(bad), audit: Fixtures.audit(.appointmentAdd))
                }
            }
        }
    }
}
