import Configuration
import Testing

@testable import Server

@Suite("Direct upload settings: MEDVAULT_UPLOAD_PART_MB and MEDVAULT_UPLOAD_URL_TTL")
struct DirectUploadSettingsTests {
    private func load(_ environment: [String: String]) throws -> DirectUploadSettings {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))).directUploads
    }

    @Test("8 MiB parts and 15-minute URLs unless told otherwise")
    func defaults() throws {
        #expect(try load([:]) == DirectUploadSettings(partSize: 8 * 1024 * 1024, urlLifetime: 900))
        #expect(
            try load(["MEDVAULT_UPLOAD_PART_MB": "5", "MEDVAULT_UPLOAD_URL_TTL": "3600"])
                == DirectUploadSettings(partSize: 5 * 1024 * 1024, urlLifetime: 3600)
        )
    }

    @Test(
        "parts under S3's 5 MiB minimum and URLs over an hour stop start-up",
        arguments: [
            ["MEDVAULT_UPLOAD_PART_MB": "4"], ["MEDVAULT_UPLOAD_PART_MB": "0"], ["MEDVAULT_UPLOAD_PART_MB": "eight"],
            ["MEDVAULT_UPLOAD_URL_TTL": "3601"], ["MEDVAULT_UPLOAD_URL_TTL": "-1"],
        ]
    )
    func outOfRange(_ environment: [String: String]) {
        #expect(throws: ConfigurationError.self) { try load(environment) }
    }
}
