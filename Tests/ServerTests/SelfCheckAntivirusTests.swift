import Configuration
import Foundation
import Logging
import ObjectStorage
import Scanning
import Testing

@testable import SelfCheck
@testable import Server

/// The self-check's antivirus step: clamd unreachable fails it with the reason; the real clamd of `scripts/clamd.sh`
/// (`MEDVAULT_TEST_CLAMD_URL`) passes it, naming its engine and the signature it gave the EICAR test file.
@Suite struct SelfCheckAntivirusTests {
    static let logger = Logger(label: "SelfCheckAntivirusTests", factory: { _ in SwiftLogNoOpLogHandler() })
    static let realClamd = ProcessInfo.processInfo.environment["MEDVAULT_TEST_CLAMD_URL"].flatMap(ClamdAddress.init(parsing:))

    static func antivirusResult(_ address: ClamdAddress) async throws -> CheckResult? {
        let configuration = try AppConfiguration.load(
            from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: ["ENABLE_AWS_S3_STORAGE": "false"]))
        )
        let antivirus = Antivirus(AntivirusSettings(address: address, timeout: 5, startTimeout: 1))
        let report = await SelfCheck(configuration: configuration, storage: .disabled, presignedURLs: nil, antivirus: antivirus)
            .run(logger: logger)
        return report.results.first { $0.id == "antivirus" }
    }

    @Test func anUnreachableClamdFailsTheCheck() async throws {
        let result = try await Self.antivirusResult(.unix(path: "/tmp/no-clamd-\(UUID().uuidString.prefix(8)).sock"))
        #expect(result?.status == .fail)
        #expect(result?.detail.contains("did not answer: clamd_unreachable") == true)
    }

    @Test(.enabled(if: realClamd != nil, "MEDVAULT_TEST_CLAMD_URL is not set"))
    func theRealClamdRefusesTheTestFile() async throws {
        let result = try await Self.antivirusResult(try #require(Self.realClamd))
        #expect(result?.status == .pass)
        #expect(result?.detail.contains("unofficial signature databases only") == true)
        #expect(result?.detail.contains("refused the EICAR test file as Eicar-Test-Signature.UNOFFICIAL") == true)
    }
}
