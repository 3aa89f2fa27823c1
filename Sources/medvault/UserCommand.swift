import Access
import ArgumentParser
import Audit
import Documents
import Foundation
import Persistence
import Server

/// `medvault user …`: manage accounts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list, disable and delete user accounts.",
        subcommands: [Add.self, List.self, Disable.self, UserDeleteCommand.self]
    )

    /// `medvault user add`: creates an account; without `--password-stdin` a password is generated and printed once.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user account.")

        @Option(help: "E-mail address (the sign-in name).") var email: String
        @Option(help: "patient, provider or admin.") var role: String
        @Option(help: "For patients: the patient id they are (their documents are patients/{id}/…).") var patientId: String?
        @Option(help: "For providers: their folder id (providers/{id}/…); defaults to the user id.") var providerId: String?
        @Option(help: "Display name.") var name: String?
        @Flag(help: "Read the password from the first line of standard input instead of generating one.") var passwordStdin = false
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw CommandLineContext.fail("--role must be patient, provider or admin") }
            let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
            try await CommandLineContext.with(data) { context in
                let user: NewUser
                do throws(UserInputError) {
                    user = try NewUser(email: email, role: role, displayName: name, patientID: patientId, providerID: providerId, password: password)
                } catch {
                    throw CommandLineContext.fail(error.description)
                }
                let hash = await PasswordHasher(cost: context.configuration.auth.bcryptCost).hash(user.password)
                let entry = context.auditEntry(
                    .userCreate,
                    patientID: user.patientID?.rawValue,
                    detail: "user \(user.id.lowercaseText) role \(role.rawValue)"
                )
                do {
                    _ = try await context.database.insertUser(user.record(passwordHash: hash, createdAt: Date()), audit: entry)
                } catch {
                    if (error as? PersistenceError) == .keyConflict { throw CommandLineContext.fail("a user with this e-mail address exists") }
                    throw error
                }
                print("created \(role.rawValue) \(user.email) (id \(user.id.lowercaseText))")
                if user.passwordWasGenerated { print("password: \(user.password)") }
            }
        }
    }

    /// `medvault user list`: one line per account.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List user accounts.")

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await CommandLineContext.with(data) { context in
                for user in try await context.database.users() {
                    let scope = user.patientID.map { "patient \($0)" } ?? user.providerID.map { "provider \($0)" } ?? "-"
                    print(
                        [user.email, user.role.rawValue, user.id.lowercaseText, scope, user.disabled ? "disabled" : "enabled"].joined(separator: "\t")
                    )
                }
            }
        }
    }

    /// `medvault user disable`: the account can no longer sign in or use tokens; its sessions end.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user account and end its sessions.")

        @Option(help: "E-mail address of the account.") var email: String
        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            try await CommandLineContext.with(data) { context in
                guard let user = try await context.database.user(email: email) else {
                    throw CommandLineContext.fail("no user with that e-mail address")
                }
                _ = try await context.database.disableUser(
                    email: email,
                    audit: context.auditEntry(.userDisable, detail: "user \(user.id.lowercaseText)")
                )
                print("disabled \(user.email)")
            }
        }
    }
}
