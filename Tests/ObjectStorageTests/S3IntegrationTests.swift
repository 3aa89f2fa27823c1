import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SigV4
import Testing

@testable import ObjectStorage

/// The S3 server the integration tests run against: an env file written by `scripts/s3-peers.sh start`
/// (`.s3-peers/ministack.env`, `.s3-peers/moto.env`), named by `MEDVAULT_S3_TEST_ENV`.
struct S3IntegrationEnvironment: Sendable {
    let values: [String: String]
    /// Whether the server verifies signatures (ministack with AUTH=true does, moto_server does not); read from the
    /// env file's first comment line.
    let checksSignatures: Bool

    /// The environment, or why the integration tests are skipped.
    static let loaded: Result<S3IntegrationEnvironment, SkipReason> = load()

    struct SkipReason: Error, CustomStringConvertible {
        let description: String
    }

    static var skipReason: String? {
        if case .failure(let reason) = loaded { return reason.description }
        return nil
    }

    private static func load() -> Result<S3IntegrationEnvironment, SkipReason> {
        guard let path = ProcessInfo.processInfo.environment["MEDVAULT_S3_TEST_ENV"], !path.isEmpty else {
            return .failure(SkipReason(description: "MEDVAULT_S3_TEST_ENV is not set (e.g. .s3-peers/ministack.env from scripts/s3-peers.sh start)"))
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return .failure(SkipReason(description: "MEDVAULT_S3_TEST_ENV names \(path), which cannot be read"))
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let assignment = line.hasPrefix("export ") ? line.dropFirst(7) : line[...]
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            var value = String(assignment[assignment.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == value.last, value.first == "\"" || value.first == "'" { value = String(value.dropFirst().dropLast()) }
            values[String(assignment[..<equals]).trimmingCharacters(in: .whitespaces)] = value
        }
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_DOCUMENTS_BUCKET_NAME", "AWS_ENDPOINT_URL_S3"] where values[name] == nil {
            return .failure(SkipReason(description: "\(path) does not set \(name)"))
        }
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        return .success(S3IntegrationEnvironment(values: values, checksSignatures: firstLine.contains("strict")))
    }

    func configuration(secret: String? = nil, endpoint: String? = nil) -> S3StoreConfiguration {
        S3StoreConfiguration(
            credentials: Credentials(
                accessKeyID: self.values["AWS_ACCESS_KEY_ID"] ?? "",
                secretAccessKey: secret ?? self.values["AWS_SECRET_ACCESS_KEY"] ?? ""
            ),
            region: self.values["AWS_REGION"] ?? "us-east-1",
            bucket: self.values["AWS_S3_DOCUMENTS_BUCKET_NAME"] ?? "",
            endpoint: endpoint ?? self.values["AWS_ENDPOINT_URL_S3"],
            partSize: S3StoreConfiguration.minimumPartSize,
            timeouts: S3Timeouts(request: .seconds(10), transfer: .seconds(60), total: .seconds(90))
        )
    }
}

extension ObjectStorageTests {
    @Suite(
        "S3 against a real server (MEDVAULT_S3_TEST_ENV)",
        .disabled(if: S3IntegrationEnvironment.skipReason != nil, Comment(rawValue: S3IntegrationEnvironment.skipReason ?? ""))
    )
    struct S3IntegrationTests {
        let environment: S3IntegrationEnvironment
        /// Every key of this run lives under its own prefix.
        let prefix = "patients/it-\(UUID().uuidString.lowercased())/"

        /// Only runs when the suite is enabled, i.e. when the environment loaded; the runner prints the skip reason otherwise.
        init() throws {
            self.environment = try S3IntegrationEnvironment.loaded.get()
        }

        /// Runs `body` with a store over a fresh HTTP client, shuts the client down, and removes this run's objects.
        func withStore(_ configuration: S3StoreConfiguration? = nil, _ body: (S3ObjectStore, HTTPClient) async throws -> Void) async throws {
            var clientConfiguration = HTTPClient.Configuration()
            clientConfiguration.timeout = .init(connect: .seconds(2), read: .seconds(30))
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
            let store = try S3ObjectStore(configuration: configuration ?? self.environment.configuration(), httpClient: client)
            var failure: (any Error)?
            do { try await body(store, client) } catch { failure = error }
            if configuration == nil {
                let cleanup = try? S3ObjectStore(configuration: self.environment.configuration(), httpClient: client)
                for object in (try? await cleanup?.list(prefix: self.prefix, continuationToken: nil, maxKeys: 1000, logger: testLogger).objects) ?? []
                {
                    try? await cleanup?.delete(key: object.key, logger: testLogger)
                }
            }
            try await client.shutdown()
            if let failure { throw failure }
        }

        @Test("small and 12 MB (multipart) objects round-trip; Range reads; HEAD shows AES256")
        func roundTrips() async throws {
            try await self.withStore { store, _ in
                let small = patternBytes(count: 1_000, seed: 11)
                let smallKey = self.prefix + "forms/a b+ü.pdf"
                let smallInfo = try await S3Fixture.put(store, small, key: smallKey, pieceSize: 300)
                #expect(smallInfo.size == 1_000)
                #expect(smallInfo.serverSideEncryption == "AES256")
                #expect(try await S3Fixture.get(store, smallKey) == small)

                let large = patternBytes(count: 12 * 1024 * 1024, seed: 12)
                let largeKey = self.prefix + "imaging/large.dcm"
                let largeInfo = try await S3Fixture.put(store, large, key: largeKey, pieceSize: 65_536)
                #expect(largeInfo.size == Int64(large.count))
                #expect(largeInfo.etag.hasSuffix("-3\""))
                #expect(try await S3Fixture.get(store, largeKey) == large)

                let boundary = Int64(S3StoreConfiguration.minimumPartSize)
                let range = (boundary - 10)...(boundary + 9)
                #expect(try await S3Fixture.get(store, largeKey, range: range) == Array(large[Int(range.lowerBound)...Int(range.upperBound)]))

                for key in [smallKey, largeKey] {
                    let head = try await store.head(key: key, logger: testLogger)
                    #expect(head.serverSideEncryption == "AES256")
                    #expect(head.contentType == "application/pdf")
                }
                #expect(try await store.head(key: largeKey, logger: testLogger).size == Int64(large.count))
            }
        }

        @Test("move to archived/ then read; delete; missing objects are not_found")
        func moveAndDelete() async throws {
            try await self.withStore { store, _ in
                let bytes = patternBytes(count: 2_048, seed: 13)
                let key = self.prefix + "lab-results/r.pdf"
                let archived = "archived/" + key
                try await S3Fixture.put(store, bytes, key: key)
                try await store.move(from: key, to: archived, logger: testLogger)
                #expect(try await S3Fixture.get(store, archived) == bytes)
                #expect(try await store.head(key: archived, logger: testLogger).serverSideEncryption == "AES256")
                #expect(await storageErrorCode { _ = try await store.head(key: key, logger: testLogger) } == "not_found")
                #expect(await storageErrorCode { try await store.move(from: key, to: archived, logger: testLogger) } == "not_found")
                try await store.delete(key: archived, logger: testLogger)
                try await store.delete(key: archived, logger: testLogger)
                #expect(await storageErrorCode { _ = try await store.read(key: archived, range: nil, logger: testLogger) } == "not_found")
            }
        }

        @Test("list pages with max-keys and continuation tokens")
        func listPaging() async throws {
            try await self.withStore { store, _ in
                let keys = (0..<4).map { self.prefix + "other/\($0).txt" } + [self.prefix + "other/a b+ü&<.txt"]
                for key in keys { try await S3Fixture.put(store, Array(key.utf8), key: key) }
                var token: String?
                var seen: [String] = []
                var pages = 0
                repeat {
                    let page = try await store.list(prefix: self.prefix, continuationToken: token, maxKeys: 2, logger: testLogger)
                    seen += page.objects.map(\.key)
                    token = page.nextContinuationToken
                    pages += 1
                } while token != nil && pages < 10
                #expect(seen == keys)
                #expect(pages == 3)
            }
        }

        @Test("SSE-KMS: small and multipart objects carry aws:kms")
        func kms() async throws {
            var configuration = self.environment.configuration()
            configuration.kmsKeyID = "arn:aws:kms:us-east-1:000000000000:key/medvault-test"
            try await self.withStore(configuration) { store, _ in
                for (name, count) in [("small", 100), ("large", S3StoreConfiguration.minimumPartSize + 100)] {
                    let key = self.prefix + "insurance/\(name).pdf"
                    let info = try await S3Fixture.put(store, patternBytes(count: count, seed: 16), key: key, pieceSize: 1 << 20)
                    #expect(info.serverSideEncryption == "aws:kms")
                    #expect(try await store.head(key: key, logger: testLogger).serverSideEncryption == "aws:kms")
                    try await store.delete(key: key, logger: testLogger)
                }
            }
        }

        @Test("a pre-signed URL fetched with async-http-client returns the bytes with the pinned headers")
        func presignedURL() async throws {
            try await self.withStore { store, client in
                let bytes = patternBytes(count: 4_096, seed: 14)
                let key = self.prefix + "imaging/p q.dcm"
                try await S3Fixture.put(store, bytes, key: key)
                let url = try store.presignedGetURL(
                    key: key,
                    expires: 120,
                    responseContentType: "application/dicom",
                    responseContentDisposition: "attachment; filename=\"p q.dcm\"",
                    date: Date()
                )
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
                let body = try await response.body.collect(upTo: 1 << 20)
                #expect(response.status.code == 200)
                #expect(Array(body.readableBytesView) == bytes)
                #expect(response.headers.first(name: "content-type") == "application/dicom")
                #expect(response.headers.first(name: "content-disposition") == "attachment; filename=\"p q.dcm\"")
            }
        }

        @Test("a wrong secret is storage_denied (on servers that check signatures)")
        func wrongSecret() async throws {
            guard self.environment.checksSignatures else {
                print("S3 integration: this server does not check signatures; wrong-secret test not applicable")
                return
            }
            try await self.withStore(self.environment.configuration(secret: "not-the-secret")) { store, _ in
                #expect(await storageErrorCode { _ = try await store.head(key: self.prefix + "x.pdf", logger: testLogger) } == "storage_denied")
                #expect(await storageErrorCode { try await S3Fixture.put(store, [1, 2, 3], key: self.prefix + "x.pdf") } == "storage_denied")
            }
        }

        @Test("an endpoint on a closed port is storage_unavailable")
        func closedPort() async throws {
            var configuration = self.environment.configuration(endpoint: "http://127.0.0.1:1")
            configuration.timeouts = S3Timeouts(request: .seconds(3), transfer: .seconds(3), total: .seconds(5))
            configuration.retryPolicy = S3RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20))
            try await self.withStore(configuration) { store, _ in
                let error = await #expect(throws: StorageError.self) { _ = try await store.head(key: self.prefix + "x.pdf", logger: testLogger) }
                #expect(error?.code == "storage_unavailable")
            }
        }

        @Test("an aborted writer leaves no incomplete multipart upload")
        func noIncompleteUploads() async throws {
            try await self.withStore { store, _ in
                let key = self.prefix + "imaging/aborted.dcm"
                let writer = try await store.makeWriter(key: key, contentType: "application/dicom", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: patternBytes(count: S3StoreConfiguration.minimumPartSize + 1, seed: 15)))
                #expect(try await store.pendingUploads(prefix: key, logger: testLogger).map(\.key) == [key])
                await writer.abort()
                #expect(try await store.pendingUploads(prefix: key, logger: testLogger).isEmpty)
                #expect(await storageErrorCode { _ = try await store.head(key: key, logger: testLogger) } == "not_found")
            }
        }

        @Test("removing an abandoned upload aborts its incomplete multipart upload and deletes its object")
        func abandonedUploadIsRemoved() async throws {
            try await self.withStore { store, _ in
                let key = self.prefix + "imaging/crashed.dcm"
                try await S3Fixture.put(store, patternBytes(count: 1000, seed: 16), key: key, pieceSize: 1000)
                let crashed = try await store.makeWriter(key: key, contentType: "application/dicom", logger: testLogger)
                try await crashed.write(ByteBuffer(bytes: patternBytes(count: S3StoreConfiguration.minimumPartSize + 1, seed: 17)))
                #expect(try await store.pendingUploads(prefix: key, logger: testLogger).map(\.key) == [key])

                try await store.removeAbandonedUpload(key: key, logger: testLogger)

                #expect(try await store.pendingUploads(prefix: key, logger: testLogger).isEmpty)
                #expect(await storageErrorCode { _ = try await store.head(key: key, logger: testLogger) } == "not_found")
                withExtendedLifetime(crashed) {}
            }
        }
    }
}
