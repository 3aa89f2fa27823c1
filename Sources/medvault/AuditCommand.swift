import ArgumentParser
import Audit
import Foundation
import Persistence
import Server

/// `medvault audit …`: tools over the audit trail.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the audit trail.",
        subcommands: [Verify.self]
    )

    /// `medvault audit verify`: recomputes the hash chain; exits 1 naming the first edited or missing row.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prove that no audit row was edited or removed.")

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let configuration = try data.loadConfiguration()
            let database = try AppDatabase(path: configuration.databasePath, migrationsDirectory: configuration.migrationsDirectory)
            switch try await database.verifyAuditChain() {
            case .intact(let count):
                print("audit chain intact: \(count) rows")
            case .broken(let sequence, let reason):
                FileHandle.standardError.write(Data("audit chain broken at row \(sequence): \(reason)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
