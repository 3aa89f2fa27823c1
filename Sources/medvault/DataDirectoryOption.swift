import ArgumentParser
import Configuration
import Foundation
import Logging
import Persistence
import Server

/// `--data-dir`, shared by every subcommand so they all find their data the same way: the flag, else
/// `MEDVAULT_DATA_DIR`, else `./data`; and their database: `DATABASE_URL`, else the data directory's SQLite file.
struct DataDirectoryOption: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (default: $MEDVAULT_DATA_DIR, else ./data).")
    var dataDirectory: String?

    /// The configuration from the environment, with this flag applied on top.
    func loadConfiguration() throws -> AppConfiguration {
        var configuration = try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider()))
        if let dataDirectory {
            configuration.dataDirectory = URL(fileURLWithPath: dataDirectory).standardizedFileURL
        }
        return configuration
    }

    /// Where a command's database connection events go: standard error, errors only (a command reports its own
    /// failures; PostgreSQL's retries would only be noise).
    var databaseLogger: Logger {
        var logger = Logger(label: "medvault.database") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .error
        return logger
    }

    /// Opens the configured database, runs `body` with it, and closes it however `body` ends.
    func withDatabase<T>(_ body: (any AppDatabase) async throws -> T) async throws -> T {
        let database = try await loadConfiguration().openDatabase(logger: databaseLogger)
        do {
            let value = try await body(database)
            await database.close()
            return value
        } catch {
            await database.close()
            throw error
        }
    }
}
