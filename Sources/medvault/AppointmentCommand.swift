import ArgumentParser
import Audit
import Documents
import Foundation
import Persistence

/// `medvault appointment …`: the appointments medvault knows of, whose two participants alone may see its chat images.
struct AppointmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointment",
        abstract: "Make appointments known to medvault.",
        subcommands: [Add.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an appointment between a patient and a provider.",
            discussion: """
                Adding an id again with the same participants changes nothing; with other participants it fails \
                (exit status 1): an appointment's participants never change.
                """
        )

        @Option(help: "The appointment id (1 to 64 characters from A-Z, a-z, 0-9, _ and -).") var id: String
        @Option(help: "The patient id.") var patient: String
        @Option(help: "The provider's provider id (as in providers/{id}/), not their e-mail address.") var provider: String
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let rule = "must be 1 to 64 characters from A-Z, a-z, 0-9, _ and -"
            guard let appointmentID = try? EntityID(validating: id) else { throw CommandLineContext.fail("--id \(rule)") }
            guard let patientID = try? EntityID(validating: patient) else { throw CommandLineContext.fail("--patient \(rule)") }
            guard let providerID = try? EntityID(validating: provider) else { throw CommandLineContext.fail("--provider \(rule)") }
            try await CommandLineContext.with(data) { context in
                let entry = context.auditEntry(
                    .appointmentAdd,
                    patientID: patientID.rawValue,
                    detail: "appointment \(appointmentID.rawValue), provider \(providerID.rawValue)"
                )
                let appointment = Appointment(
                    id: appointmentID.rawValue,
                    patientID: patientID.rawValue,
                    providerID: providerID.rawValue,
                    createdAt: entry.occurredAt,
                    createdBy: entry.actorID ?? "cli"
                )
                let added: Bool
                do {
                    added = try await context.database.addAppointment(appointment, audit: entry)
                } catch let error as PersistenceError where error == .keyConflict {
                    throw CommandLineContext.fail("appointment \(appointmentID.rawValue) exists with other participants")
                }
                let name = appointmentID.rawValue
                print(added ? "added appointment \(name)" : "appointment \(name) already exists with these participants")
            }
        }
    }
}
