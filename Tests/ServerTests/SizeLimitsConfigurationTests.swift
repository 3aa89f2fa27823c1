import Configuration
import Documents
import Testing

@testable import Server

/// `MEDVAULT_MAX_IMAGE_MB`, `MEDVAULT_MAX_DOCUMENT_MB`, `MEDVAULT_MAX_FILE_MB` and `MEDVAULT_MAX_VIDEO_MB`.
@Suite struct SizeLimitsConfigurationTests {
    private func load(_ environment: [String: String]) throws(ConfigurationError) -> AppConfiguration {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test func defaultsAreTenTwentyFiveFiftyAndFiveHundredMiB() throws {
        let limits = try load([:]).sizeLimits
        #expect(limits == .standard)
        #expect(
            [limits.imageMaxBytes, limits.documentMaxBytes, limits.overallMaxBytes, limits.videoMaxBytes]
                == [10 << 20, 25 << 20, 50 << 20, 500 << 20]
        )
    }

    @Test func valuesAreWholeMiB() throws {
        let limits = try load([
            "MEDVAULT_MAX_IMAGE_MB": "2", "MEDVAULT_MAX_DOCUMENT_MB": "30", "MEDVAULT_MAX_FILE_MB": "100", "MEDVAULT_MAX_VIDEO_MB": "1024",
        ]).sizeLimits
        #expect(limits == SizeLimits(imageMaxBytes: 2 << 20, documentMaxBytes: 30 << 20, overallMaxBytes: 100 << 20, videoMaxBytes: 1024 << 20))
        #expect(try load(["MEDVAULT_MAX_IMAGE_MB": ""]).sizeLimits == .standard)
    }

    @Test(arguments: ["MEDVAULT_MAX_IMAGE_MB", "MEDVAULT_MAX_DOCUMENT_MB", "MEDVAULT_MAX_FILE_MB", "MEDVAULT_MAX_VIDEO_MB"])
    func invalidValuesStopStartUpNamingTheVariable(name: String) {
        for value in ["0", "-5", "ten", "1.5", " 10", "1048577", "99999999999999999999"] {
            do {
                _ = try load([name: value])
                Issue.record("\(name)=\(value) was accepted")
            } catch {
                #expect(error.description == "\(name) must be a whole number of MiB from 1 to 1048576")
            }
        }
    }

    @Test func anImageOrDocumentLimitAboveTheFileLimitIsRefused() throws {
        #expect(throws: ConfigurationError.self) { try load(["MEDVAULT_MAX_IMAGE_MB": "60"]) }
        #expect(throws: ConfigurationError.self) {
            try load(["MEDVAULT_MAX_DOCUMENT_MB": "30", "MEDVAULT_MAX_FILE_MB": "20", "MEDVAULT_MAX_IMAGE_MB": "5"])
        }
        #expect(try load(["MEDVAULT_MAX_VIDEO_MB": "10", "MEDVAULT_MAX_FILE_MB": "60"]).sizeLimits.videoMaxBytes == 10 << 20)
    }
}
