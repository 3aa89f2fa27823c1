import Configuration
import Documents
import Testing

@testable import Server

/// With scanning on, the limits in force hold videos to the size clamd is proven to scan whole at start-up.
@Suite struct EnforcedSizeLimitsTests {
    static func configuration(_ environment: [String: String]) throws -> AppConfiguration {
        let variables = ["ENABLE_AWS_S3_STORAGE": "false"].merging(environment) { $1 }
        return try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: variables)))
    }

    @Test func withoutScanningTheConfiguredLimitsApply() throws {
        let configuration = try Self.configuration([:])
        #expect(configuration.enforcedSizeLimits == configuration.sizeLimits)
        #expect(configuration.enforcedSizeLimits.maxBytes(for: .video) == 500 << 20)
    }

    @Test func withScanningVideosAreHeldToTheProbedSize() throws {
        let configuration = try Self.configuration(["MEDVAULT_CLAMD_URL": "tcp://127.0.0.1:3310", "MEDVAULT_MAX_VIDEO_MB": "700"])
        #expect(configuration.scanProbeBytes == 50 << 20)
        #expect(configuration.enforcedSizeLimits.maxBytes(for: .video) == 50 << 20)
        #expect(configuration.enforcedSizeLimits.maxBytes(for: .image) == 10 << 20)
        #expect(configuration.enforcedSizeLimits.overallMaxBytes == 50 << 20)
    }

    @Test func aVideoLimitBelowTheProbeIsKept() throws {
        let configuration = try Self.configuration(["MEDVAULT_CLAMD_URL": "tcp://127.0.0.1:3310", "MEDVAULT_MAX_VIDEO_MB": "20"])
        #expect(configuration.enforcedSizeLimits.maxBytes(for: .video) == 20 << 20)
        #expect(configuration.enforcedSizeLimits == configuration.sizeLimits)
    }
}
