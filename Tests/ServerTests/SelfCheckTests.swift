import Configuration
import Crypto
import Foundation
import Logging
import ObjectStorage
import Testing

@testable import SelfCheck
@testable import Server

/// The storage self-check of `/test/s3` and `medvault selftest`, run against a real local store, a store
/// whose writes fail, missing configuration, and (with `MEDVAULT_S3_TEST_ENV`) a real S3 server.
@Suite struct SelfCheckTests {
    static let logger = Logger(label: "selfcheck-test")
    /// A master key whose base64 must never show up in a detail.
    static let storageKey = Data((0..<32).map { UInt8($0 &* 7 &+ 3) }).base64EncodedString()

    /// A configuration read the way the server reads it; `PORT=1` makes the local store's URLs point where nothing
    /// listens, as on the command line.
    static func configuration(_ environment: [String: String]) throws -> AppConfiguration {
        try AppConfiguration.load(from: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    static func withDataDirectory<Value>(_ body: (URL) async throws -> Value) async throws -> Value {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selfcheck-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    @Test("every check passes on a real local store without a server, and nothing is left behind")
    func localStorePasses() async throws {
        try await Self.withDataDirectory { directory in
            let configuration = try Self.configuration([
                "MEDVAULT_DATA_DIR": directory.path, "MEDVAULT_STORAGE_KEY": Self.storageKey, "PORT": "1",
            ])
            let composition = try StorageComposition(configuration: configuration, now: Date.init)
            let report = await SelfCheck(configuration: configuration, storage: composition.access, presignedURLs: composition.presignedURLs)
                .run(logger: Self.logger)

            #expect(report.results.map(\.id) == SelfCheckStep.allCases.map(\.id))
            for result in report.results {
                #expect(result.status == .pass, "\(result.name): \(result.detail)")
                #expect(!result.detail.contains(Self.storageKey))
                #expect(!result.detail.contains("X-Amz-Signature"))
            }
            #expect(report.passed)
            #expect(report.summary == "All 11 checks passed")
            #expect(report.auditDetail == "11 checks, 0 failed")
            #expect(report.results.first { $0.id == "antivirus" }?.detail.hasPrefix("Off: MEDVAULT_CLAMD_URL is not set") == true)
            #expect(report.results.first { $0.id == "presigned-url" }?.detail.contains("verified with medvault's own SigV4 verifier") == true)
            #expect(report.results.first { $0.id == "presigned-url-expiry" }?.detail.contains("expired") == true)
            #expect(report.results.first { $0.id == "tampered-url" }?.detail.contains("signature_mismatch") == true)

            guard case .ready(let store) = composition.access else { throw SelfCheckFailure("no store") }
            let left = try await store.list(prefix: "", continuationToken: nil, maxKeys: 100, logger: Self.logger)
            #expect(left.objects.isEmpty)
        }
    }

    @Test("a store that refuses writes fails the round trip, skips what depends on it, and says why")
    func failingWritesAreReported() async throws {
        let configuration = try Self.configuration(["MEDVAULT_STORAGE_KEY": Self.storageKey])
        let report = await SelfCheck(configuration: configuration, storage: .ready(RefusingStore()), presignedURLs: nil).run(logger: Self.logger)

        let statuses = Dictionary(uniqueKeysWithValues: report.results.map { ($0.id, $0.status) })
        #expect(statuses["feature-flag"] == .pass)
        #expect(statuses["configuration"] == .pass)
        #expect(statuses["round-trip"] == .fail)
        for id in ["presigned-url", "presigned-url-expiry", "tampered-url", "listing-metadata", "large-file", "encryption"] {
            #expect(statuses[id] == .skip, "\(id)")
        }
        #expect(statuses["cleanup"] == .pass)
        #expect(
            report.results.first { $0.id == "round-trip" }?.detail == "Writing failed: storage_denied: The storage backend refused the operation."
        )
        #expect(!report.passed)
        #expect(report.summary == "1 of 11 checks failed (round trip); 6 skipped")
        #expect(report.auditDetail == "11 checks, 1 failed, 6 skipped")
    }

    @Test("the feature flag off fails the first check and skips every storage check")
    func disabledStorage() async throws {
        let configuration = try Self.configuration(["ENABLE_AWS_S3_STORAGE": "false"])
        let report = await SelfCheck(configuration: configuration, storage: .disabled, presignedURLs: nil).run(logger: Self.logger)
        #expect(report.results.map(\.status) == [.fail, .pass] + Array(repeating: .skip, count: 7) + [.pass, .skip])
        #expect(report.results[0].detail.contains("ENABLE_AWS_S3_STORAGE is off"))
    }

    @Test("production without S3 names the missing settings, never a value")
    func missingS3Settings() async throws {
        let environment = ["MEDVAULT_ENV": "production", "AWS_ACCESS_KEY_ID": "AKIASECRETLOOKING1234"]
        let configuration = try Self.configuration(environment)
        let report = await SelfCheck(configuration: configuration, storage: .notConfigured, presignedURLs: nil, environment: environment)
            .run(logger: Self.logger)
        let detail = report.results[1].detail
        #expect(report.results[1].status == .fail)
        #expect(detail.contains("AWS_SECRET_ACCESS_KEY"))
        #expect(detail.contains("AWS_S3_DOCUMENTS_BUCKET_NAME"))
        #expect(!detail.contains("AWS_ACCESS_KEY_ID"))
        #expect(!detail.contains("AKIASECRETLOOKING1234"))
        #expect(report.results.dropFirst(2).allSatisfy { $0.status == .skip || $0.id == "antivirus" })
        let antivirus = report.results.first { $0.id == "antivirus" }
        #expect(antivirus?.status == .fail, "production without MEDVAULT_CLAMD_URL stores files unscanned")
        #expect(antivirus?.detail == "MEDVAULT_CLAMD_URL is not set, so uploads are not scanned for malware (in production).")
    }

    @Test("partial S3 settings in development fail the configuration check")
    func partialS3SettingsInDevelopment() async throws {
        let environment = ["AWS_S3_BUCKET_NAME": "docs"]
        let configuration = try Self.configuration(environment)
        let report = await SelfCheck(configuration: configuration, storage: .disabled, presignedURLs: nil, environment: environment)
            .run(logger: Self.logger)
        #expect(report.results[1].status == .fail)
        #expect(report.results[1].detail.hasSuffix("missing: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY."))
    }

    @Test("the tampered URL differs from the original in one signature digit only")
    func tampering() throws {
        let signature = String(repeating: "ab", count: 31) + "c0"
        let url = "http://h/k?X-Amz-Date=20250101T000000Z&X-Amz-Signature=\(signature)"
        let tampered = try #require(PresignedURLProbe.tampered(url))
        #expect(tampered.count == url.count)
        #expect(zip(tampered, url).filter { $0 != $1 }.count == 1)
        #expect(tampered.hasSuffix("c1"))
        #expect(PresignedURLProbe.tampered("http://h/k?X-Amz-Date=1") == nil)
    }

    @Test("durations read as µs, ms and s")
    func durations() {
        func formatted(_ duration: Duration) -> String {
            CheckResult(id: "x", name: "x", status: .pass, duration: duration, detail: "").formattedDuration
        }
        #expect(formatted(.microseconds(850)) == "850 µs")
        #expect(formatted(.milliseconds(12)) == "12 ms")
        #expect(formatted(.milliseconds(2040)) == "2.0 s")
    }
}

/// A store whose every write is refused, as S3 refuses a wrong secret; it holds nothing, so listings are empty.
/// Only for the failure-reporting test: the passing test uses the real ``LocalObjectStore``.
private struct RefusingStore: ObjectStore {
    var summary: StoreSummary { StoreSummary(backend: "test", location: "nowhere", region: nil, encryption: "none") }

    func makeWriter(key: String, contentType: String, logger: Logger) async throws(StorageError) -> any ObjectWriter { throw .denied() }
    func read(key: String, range: ClosedRange<Int64>?, logger: Logger) async throws(StorageError) -> ObjectStream { throw .notFound() }
    func head(key: String, logger: Logger) async throws(StorageError) -> ObjectInfo { throw .notFound() }
    func delete(key: String, logger: Logger) async throws(StorageError) {}
    func erase(key: String, logger: Logger) async throws(StorageError) -> ErasedObjects { ErasedObjects() }
    func erase(prefix: String, logger: Logger) async throws(StorageError) -> ErasedObjects { ErasedObjects() }
    func removeAbandonedUpload(key: String, logger: Logger) async throws(StorageError) {}
    func move(from: String, to: String, logger: Logger) async throws(StorageError) { throw .notFound() }
    func changeStorageClass(key: String, to storageClass: String, logger: Logger) async throws(StorageError) { throw .notFound() }
    func list(prefix: String, continuationToken: String?, maxKeys: Int, logger: Logger) async throws(StorageError) -> ObjectListing {
        ObjectListing(objects: [], nextContinuationToken: nil)
    }
}
