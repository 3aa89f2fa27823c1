import Configuration
import Foundation
import Logging
import Testing

@testable import SelfCheck
@testable import Server

/// The self-check against a real S3 server: the env file `scripts/s3-peers.sh start` writes, named by
/// `MEDVAULT_S3_TEST_ENV` (as for ObjectStorageTests' S3 integration tests), read as the server reads its environment.
/// ministack checks signatures and expiry, so every check must pass; moto checks neither and is not a valid target.
@Suite(
    "self-check against a real S3 server (MEDVAULT_S3_TEST_ENV)",
    .disabled(if: SelfCheckS3Environment.file == nil, "MEDVAULT_S3_TEST_ENV is not set (e.g. .s3-peers/ministack.env)")
)
struct SelfCheckS3Tests {
    @Test("every check passes, multipart and SSE included")
    func allChecksPass() async throws {
        let file = try #require(SelfCheckS3Environment.file)
        let provider = EnvironmentVariablesProvider(environmentVariables: try SelfCheckS3Environment.variables(in: file))
        let configuration = try AppConfiguration.load(from: ConfigReader(provider: provider))
        #expect(configuration.s3 != nil)
        let composition = try StorageComposition(configuration: configuration, now: Date.init)
        let report = await SelfCheck(configuration: configuration, storage: composition.access, presignedURLs: composition.presignedURLs)
            .run(logger: Logger(label: "selfcheck-s3-test"))
        try await composition.shutdown?()
        for result in report.results {
            #expect(result.status == .pass, "\(result.name): \(result.detail)")
        }
        #expect(report.results.first { $0.id == "large-file" }?.detail.contains("multipart") == true)
        #expect(report.results.first { $0.id == "encryption" }?.detail.contains("AES256") == true)
    }
}

/// Where the S3 server's settings are, and how to read them.
enum SelfCheckS3Environment {
    /// `MEDVAULT_S3_TEST_ENV`, or nil when the tests are to be skipped.
    static let file = ProcessInfo.processInfo.environment["MEDVAULT_S3_TEST_ENV"].flatMap { $0.isEmpty ? nil : $0 }

    /// The `export NAME=VALUE` lines of an env file (the peers' values are never quoted); comments skipped.
    static func variables(in file: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let assignment = line.hasPrefix("export ") ? line.dropFirst(7) : line[...]
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            values[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return values
    }
}
