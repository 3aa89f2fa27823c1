import Configuration
import Foundation
import Testing

@testable import Server

@Suite struct LifecycleConfigurationTests {
    private func load(_ environment: [String: String]) throws -> AppConfiguration {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test func defaultsKeepArchivedDocumentsForever() throws {
        let rules = try load([:]).lifecycle
        #expect(
            rules
                == LifecycleRules(
                    tempRetentionDays: 7,
                    archiveAfterDays: 90,
                    archiveStorageClass: "GLACIER_IR",
                    archivedRetentionDays: nil,
                    interval: 3600
                )
        )
    }

    @Test func documentedVariablesAreRead() throws {
        let rules = try load([
            "MEDVAULT_TEMP_RETENTION_DAYS": "2", "MEDVAULT_ARCHIVE_AFTER_DAYS": "30", "MEDVAULT_ARCHIVE_STORAGE_CLASS": "INTELLIGENT_TIERING",
            "MEDVAULT_ARCHIVED_RETENTION_DAYS": "365", "MEDVAULT_LIFECYCLE_INTERVAL": "60",
        ]).lifecycle
        #expect(
            rules
                == LifecycleRules(
                    tempRetentionDays: 2,
                    archiveAfterDays: 30,
                    archiveStorageClass: "INTELLIGENT_TIERING",
                    archivedRetentionDays: 365,
                    interval: 60
                )
        )
    }

    @Test(arguments: [
        ["MEDVAULT_TEMP_RETENTION_DAYS": "0"], ["MEDVAULT_ARCHIVE_AFTER_DAYS": "-1"], ["MEDVAULT_ARCHIVED_RETENTION_DAYS": "a year"],
        ["MEDVAULT_LIFECYCLE_INTERVAL": "1.5"], ["MEDVAULT_ARCHIVE_STORAGE_CLASS": "glacier ir"],
    ])
    func badValuesStopStartUp(environment: [String: String]) {
        #expect(throws: ConfigurationError.self) { try load(environment) }
    }
}
