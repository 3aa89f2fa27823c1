import Access
import ArgumentParser
import Audit
import Documents
import Foundation
import Persistence
import Server

/// `medvault careteam …`: which providers may see which patients' documents.
struct CareTeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "careteam",
        abstract: "Add providers to patients' care teams, remove them, list them.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    /// The provider and patient a change names.
    struct Member: ParsableArguments {
        @Option(help: "The provider's e-mail address.") var provider: String
        @Option(help: "The patient id.") var patient: String

        /// The provider's account and the validated patient id, or a clear failure.
        func resolve(in context: CommandLineContext) async throws -> (UserRecord, EntityID) {
            guard let patientID = try? EntityID(validating: patient) else {
                throw CommandLineContext.fail("--patient must be 1 to 64 characters from A-Z, a-z, 0-9, _ and -")
            }
            guard let user = try await context.database.user(email: provider), user.role == .provider else {
                throw CommandLineContext.fail("no provider with that e-mail address")
            }
            return (user, patientID)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a provider on a patient's care team.")

        @OptionGroup var member: Member
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await CommandLineContext.with(data) { context in
                let (provider, patient) = try await member.resolve(in: context)
                let entry = context.auditEntry(.careTeamAdd, patientID: patient.rawValue, detail: "provider \(provider.id.lowercaseText)")
                let added = try await context.database.addCareTeamMember(
                    providerUserID: provider.id,
                    patientID: patient.rawValue,
                    at: Date(),
                    addedBy: entry.actorID,
                    audit: entry
                )
                print(added ? "added \(provider.email) to the care team of \(patient.rawValue)" : "\(provider.email) is already on that care team")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a provider off a patient's care team.")

        @OptionGroup var member: Member
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await CommandLineContext.with(data) { context in
                let (provider, patient) = try await member.resolve(in: context)
                let entry = context.auditEntry(.careTeamRemove, patientID: patient.rawValue, detail: "provider \(provider.id.lowercaseText)")
                guard try await context.database.removeCareTeamMember(providerUserID: provider.id, patientID: patient.rawValue, audit: entry) else {
                    throw CommandLineContext.fail("\(provider.email) is not on that care team")
                }
                print("removed \(provider.email) from the care team of \(patient.rawValue)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List care teams.")

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await CommandLineContext.with(data) { context in
                for member in try await context.database.careTeamMembers() {
                    print("\(member.providerEmail)\t\(member.patientID)")
                }
            }
        }
    }
}
