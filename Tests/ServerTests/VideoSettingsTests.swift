import Configuration
import Persistence
import Testing

@testable import Server

@Suite("Video settings: MEDVAULT_TRANSCODE and MEDVAULT_MEDIA_JOBS")
struct VideoSettingsTests {
    private func load(_ environment: [String: String]) throws -> VideoSettings {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))).video
    }

    @Test("transcoding is off and one job runs at a time unless told otherwise; only a poster is made then")
    func defaults() throws {
        let settings = try load([:])
        #expect(!settings.transcode && settings.concurrency == 1)
        #expect(settings.jobKinds == [.poster])
        let on = try load(["MEDVAULT_TRANSCODE": "on", "MEDVAULT_MEDIA_JOBS": "3"])
        #expect(on.transcode && on.concurrency == 3)
        #expect(on.jobKinds == [.poster, .transcode])
        #expect(try load(["MEDVAULT_TRANSCODE": "OFF"]).transcode == false)
    }

    @Test(
        "a value that is not on or off, or a job count out of range, stops start-up",
        arguments: [
            ["MEDVAULT_TRANSCODE": "maybe"], ["MEDVAULT_MEDIA_JOBS": "0"], ["MEDVAULT_MEDIA_JOBS": "17"], ["MEDVAULT_MEDIA_JOBS": "two"],
        ]
    )
    func invalid(_ environment: [String: String]) {
        #expect(throws: ConfigurationError.self) { try load(environment) }
    }
}
