import ArgumentParser
import Foundation
import Persistence
import Server

/// `medvault migrate`: applies the pending migrations of the configured engine (`migrations/sqlite/`, or
/// `migrations/postgres/` with `DATABASE_URL`; the root may be moved with `MEDVAULT_MIGRATIONS_DIR`) and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        let applied = try await data.withDatabase { database in try await database.appliedMigrations() }
        print("database is up to date: \(applied.count) migration(s) applied (latest: \(applied.last ?? "none"))")
    }
}
