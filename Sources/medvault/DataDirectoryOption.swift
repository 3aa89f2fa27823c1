import ArgumentParser
import Configuration
import Foundation
import Server

/// `--data-dir`, shared by every subcommand so they all find their data the same way:
/// the flag, else `MEDVAULT_DATA_DIR`, else `./data`.
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
}
