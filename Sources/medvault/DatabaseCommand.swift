import ArgumentParser
import Audit
import Foundation
import Persistence
import Server

/// `medvault db …`: moving a database between engines.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Move the database between engines.",
        subcommands: [Copy.self]
    )

    /// `medvault db copy --from-sqlite PATH`: copies an install's SQLite database into the empty PostgreSQL database
    /// named by `DATABASE_URL`, then verifies the copied audit chain with the audit key (`MEDVAULT_AUDIT_KEY`, else
    /// the data directory's `audit.key`: run it with the old install's data directory, and give every node that key).
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a SQLite database into the empty PostgreSQL database of DATABASE_URL.",
            discussion: """
                Copies the document index, users, care teams, sessions, sign-in state, upload intents and the audit \
                chain in one transaction, refuses a target that already holds rows, and verifies the chain on \
                arrival (exit status 1 if it does not verify). The objects in storage are not touched.
                """
        )

        @Option(name: .customLong("from-sqlite"), help: "The SQLite database file to copy (e.g. ./data/medvault.sqlite).")
        var sqlitePath: String

        @OptionGroup var data: DataDirectoryOption

        func run() async throws {
            let configuration = try data.loadConfiguration()
            guard case .postgres(let target) = configuration.database else {
                throw ValidationError("db copy writes to PostgreSQL: set DATABASE_URL to the empty database to copy into")
            }
            let report = try await DatabaseCopy.copy(
                sqlitePath: URL(fileURLWithPath: sqlitePath).standardizedFileURL.path,
                to: target,
                migrationsRoot: configuration.migrationsDirectory,
                auditKey: try configuration.loadAuditKey(),
                logger: data.databaseLogger
            )
            for (table, rows) in report.rows {
                print("\(table): \(rows) row(s)")
            }
            print(report.verification)
            guard report.verification.isIntact else { throw ExitCode(1) }
        }
    }
}
