import ArgumentParser
import Foundation
import Persistence
import Server

/// `medvault migrate`: applies pending migrations from `migrations/` (or `MEDVAULT_MIGRATIONS_DIR`) and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var data: DataDirectoryOption

    func run() async throws {
        let database = try data.loadConfiguration().openDatabase()
        let applied = try database.appliedMigrations()
        print("database is up to date: \(applied.count) migration(s) applied (latest: \(applied.last ?? "none"))")
    }
}
