import Foundation
import Logging
import NIOCore
import SigV4
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("S3 store operations (fake transport)")
    struct S3ObjectStoreTests {
        static let key = "patients/p1/imaging/5c1d-scan 1+2.dcm"

        @Test("read streams the object; a range is requested with Range and checked against Content-Range")
        func reads() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake)
            let bytes = patternBytes(count: 100, seed: 9)
            try await S3Fixture.put(store, bytes, key: Self.key)

            #expect(try await S3Fixture.get(store, Self.key) == bytes)
            let stream = try await store.read(key: Self.key, range: 10...19, logger: testLogger)
            #expect(stream.info.size == 100)
            #expect(stream.range == 10...19)
            #expect(stream.info.lastModified == S3Fixture.lastModified)
            #expect(stream.info.serverSideEncryption == "AES256")
            #expect(fake.requests.last?.header("range") == "bytes=10-19")
            #expect(fake.requests.last?.header("authorization")?.contains(";range;") == true)
            var ranged: [UInt8] = []
            for try await buffer in stream.body { ranged += buffer.readableBytesView }
            #expect(ranged == Array(bytes[10...19]))
            #expect(fake.requests.last?.path == "/medvault-test/" + Self.key)
            #expect(fake.requests.last?.url.contains("/5c1d-scan%201%2B2.dcm") == true)
        }

        @Test("a server that ignores Range, or a body cut short, is an error rather than wrong bytes")
        func untrustworthyAnswers() async throws {
            let ignoring = ScriptedTransport { _ in
                FakeS3.response(200, headers: [("ETag", "\"e\""), ("Content-Length", "100")], bytes: patternBytes(count: 100))
            }
            let store = try S3ObjectStore(configuration: S3Fixture.configuration(), transport: ignoring, environment: .live)
            #expect(await storageErrorCode { _ = try await store.read(key: Self.key, range: 0...9, logger: testLogger) } == "storage_failure")

            let short = ScriptedTransport { _ in
                FakeS3.response(200, headers: [("ETag", "\"e\""), ("Content-Length", "100")], bytes: patternBytes(count: 60))
            }
            let shortStore = try S3ObjectStore(configuration: S3Fixture.configuration(), transport: short, environment: .live)
            let code = await storageErrorCode { _ = try await S3Fixture.get(shortStore, Self.key) }
            #expect(code == "storage_unavailable")
        }

        @Test("head reports size, ETag, type and SSE; a missing object is not_found")
        func head() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake)
            let stored = try await S3Fixture.put(store, patternBytes(count: 5), key: Self.key)
            let info = try await store.head(key: Self.key, logger: testLogger)
            #expect(
                info
                    == ObjectInfo(
                        key: Self.key,
                        size: 5,
                        etag: stored.etag,
                        lastModified: S3Fixture.lastModified,
                        contentType: "application/pdf",
                        serverSideEncryption: "AES256"
                    )
            )
            #expect(await storageErrorCode { _ = try await store.head(key: "patients/p1/imaging/none.dcm", logger: testLogger) } == "not_found")
            #expect(
                await storageErrorCode { _ = try await store.read(key: "patients/p1/imaging/none.dcm", range: nil, logger: testLogger) }
                    == "not_found"
            )
        }

        @Test("delete succeeds whether or not the key exists; a missing bucket is a failure")
        func delete() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake)
            try await S3Fixture.put(store, [1, 2, 3], key: Self.key)
            try await store.delete(key: Self.key, logger: testLogger)
            #expect(fake.objects.isEmpty)
            fake.inject(.status(404, code: "NoSuchKey"), operation: "DeleteObject")
            try await store.delete(key: Self.key, logger: testLogger)
            fake.inject(.status(404, code: "NoSuchBucket"), operation: "DeleteObject")
            #expect(await storageErrorCode { try await store.delete(key: Self.key, logger: testLogger) } == "storage_failure")
        }

        @Test("move copies with an encoded x-amz-copy-source, COPY metadata and SSE, then deletes the source")
        func move() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake)
            let bytes = patternBytes(count: 12)
            try await S3Fixture.put(store, bytes, key: Self.key)
            let archived = "archived/" + Self.key
            try await store.move(from: Self.key, to: archived, logger: testLogger)

            #expect(fake.operations.suffix(2) == ["CopyObject", "DeleteObject"])
            let copy = try #require(fake.requests.first { $0.operation == "CopyObject" })
            #expect(copy.header("x-amz-copy-source") == "medvault-test/patients/p1/imaging/5c1d-scan%201%2B2.dcm")
            #expect(copy.header("x-amz-metadata-directive") == "COPY")
            #expect(copy.header("x-amz-server-side-encryption") == "AES256")
            #expect(copy.header("authorization")?.contains("x-amz-copy-source;") == true)
            #expect(fake.objects.keys.sorted() == [archived])
            #expect(fake.objects[archived]?.serverSideEncryption == "AES256")
            #expect(try await S3Fixture.get(store, archived) == bytes)

            #expect(await storageErrorCode { try await store.move(from: Self.key, to: archived, logger: testLogger) } == "not_found")
            fake.inject(.embeddedError(code: "AccessDenied"), operation: "CopyObject")
            #expect(await storageErrorCode { try await store.move(from: archived, to: Self.key, logger: testLogger) } == "storage_denied")
            #expect(fake.objects.keys.sorted() == [archived])
        }

        @Test("list pages through ListObjectsV2 with prefix, max-keys and continuation token")
        func list() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake)
            let keys = (0..<5).map { "patients/p1/forms/\($0).pdf" }
            for key in keys + ["patients/p2/forms/x.pdf"] { try await S3Fixture.put(store, [1], key: key) }
            var token: String?
            var seen: [String] = []
            repeat {
                let page = try await store.list(prefix: "patients/p1/", continuationToken: token, maxKeys: 2, logger: testLogger)
                #expect(page.objects.count <= 2)
                seen += page.objects.map(\.key)
                token = page.nextContinuationToken
            } while token != nil
            #expect(seen == keys)
            let listing = try #require(fake.requests.last)
            #expect(listing.query["list-type"] == "2")
            #expect(listing.query["max-keys"] == "2")
            #expect(listing.query["continuation-token"] == "patients/p1/forms/3.pdf")
            #expect(try await store.list(prefix: "", continuationToken: nil, maxKeys: 5000, logger: testLogger).objects.count == 6)
            #expect(fake.requests.last?.query["max-keys"] == "1000")
        }

        @Test("network failures are retried with pauses, then reported as unavailable; refused connections are not retried")
        func networkFailures() async throws {
            let fake = FakeS3()
            fake.inject(.transport(.network), count: 10, operation: "HeadObject")
            let pauses = S3Fixture.Pauses()
            let store = try S3Fixture.store(fake, pauses: pauses)
            let error = await #expect(throws: StorageError.self) { _ = try await store.head(key: Self.key, logger: testLogger) }
            #expect(error?.code == "storage_unavailable")
            #expect(error?.retryAfter == 5)
            #expect(fake.operations == ["HeadObject", "HeadObject", "HeadObject", "HeadObject"])
            #expect(pauses.all == [.milliseconds(75), .milliseconds(150), .milliseconds(300)])

            // A connection that could not be made at all was already retried by the HTTP client: no second round.
            let refused = FakeS3()
            refused.inject(.transport(.connect), count: 10, operation: "HeadObject")
            let refusedStore = try S3Fixture.store(refused)
            #expect(await storageErrorCode { _ = try await refusedStore.head(key: Self.key, logger: testLogger) } == "storage_unavailable")
            #expect(refused.operations == ["HeadObject"])
        }

        @Test("pre-signed GET URLs pin the response type and disposition and never contain the secret")
        func presign() throws {
            let store = try S3Fixture.store(FakeS3())
            let url = try store.presignedGetURL(
                key: Self.key,
                expires: 300,
                responseContentType: "application/dicom",
                responseContentDisposition: "attachment; filename=\"scan.dcm\"",
                date: S3Fixture.date
            )
            #expect(url.hasPrefix("http://127.0.0.1:9000/medvault-test/patients/p1/imaging/5c1d-scan%201%2B2.dcm?X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
            #expect(url.contains("&X-Amz-Date=20261123T162136Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&"))
            #expect(url.contains("response-content-disposition=attachment%3B%20filename%3D%22scan.dcm%22&response-content-type=application%2Fdicom"))
            #expect(!url.contains(S3Fixture.credentials.secretAccessKey))
            #expect(throws: StorageError.self) {
                try store.presignedGetURL(key: Self.key, expires: 0, responseContentType: "", responseContentDisposition: "", date: S3Fixture.date)
            }
        }

        @Test("with a public endpoint, pre-signed URLs are signed for its host while requests still go to the endpoint")
        func presignForThePublicEndpoint() async throws {
            let fake = FakeS3()
            var configuration = S3Fixture.configuration()
            configuration.publicEndpoint = "https://files.example.org"
            let store = try S3ObjectStore(
                configuration: configuration,
                transport: fake,
                environment: S3Environment(now: { S3Fixture.date }, random: { 0.5 }, sleep: { _ in })
            )
            let url = try store.presignedGetURL(
                key: Self.key,
                expires: 300,
                responseContentType: "",
                responseContentDisposition: "",
                date: S3Fixture.date
            )
            let path = "/medvault-test/patients/p1/imaging/5c1d-scan%201%2B2.dcm"
            #expect(url.hasPrefix("https://files.example.org\(path)?X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
            let query = String(url.split(separator: "?", maxSplits: 1)[1])
            let verifier = PresignedURLVerifier(region: "us-east-1") { _ in S3Fixture.credentials.secretAccessKey }
            func verify(host: String) throws(SigV4VerificationError) {
                _ = try verifier.verify(method: "GET", rawPath: path, rawQuery: query, headers: [("host", host)], now: S3Fixture.date)
            }
            try verify(host: "files.example.org")
            #expect(throws: SigV4VerificationError.signatureMismatch) { try verify(host: "127.0.0.1:9000") }
            _ = try? await store.head(key: Self.key, logger: testLogger)
            #expect(!fake.requests.isEmpty)
            #expect(fake.requests.map(\.url).allSatisfy { $0.hasPrefix("http://127.0.0.1:9000/") })
        }

        @Test("summary: backend, endpoint host and bucket, region, SSE; never a credential")
        func summary() throws {
            let store = try S3Fixture.store(FakeS3())
            #expect(
                store.summary
                    == StoreSummary(backend: "s3", location: "127.0.0.1:9000/medvault-test", region: "us-east-1", encryption: "SSE-S3 (AES256)")
            )
            var aws = S3Fixture.configuration(partSize: 8 * 1024 * 1024)
            aws.endpoint = nil
            aws.region = "eu-west-1"
            let awsStore = try S3ObjectStore(configuration: aws, transport: FakeS3(), environment: .live)
            #expect(awsStore.summary.location == "s3.eu-west-1.amazonaws.com/medvault-test")
            #expect(!"\(awsStore.summary)".contains("AKIDEXAMPLE"))
        }

        @Test("invalid configurations and keys are refused before anything is sent")
        func refusals() async throws {
            var configuration = S3Fixture.configuration()
            configuration.endpoint = "ftp://example.org"
            #expect(throws: StorageError.self) { try S3ObjectStore(configuration: configuration, transport: FakeS3(), environment: .live) }
            configuration = S3Fixture.configuration()
            configuration.endpoint = nil
            configuration.bucket = "Not.A.DNS.Bucket"
            #expect(throws: StorageError.self) { try S3ObjectStore(configuration: configuration, transport: FakeS3(), environment: .live) }

            let fake = FakeS3()
            let store = try S3Fixture.store(fake)
            for key in ["", "/patients/p1/x.pdf", "patients//x.pdf", "patients/../x.pdf", "patients/p1/x\n.pdf", "patients/p1/"] {
                #expect(await storageErrorCode { _ = try await store.head(key: key, logger: testLogger) } == "storage_failure")
            }
            #expect(
                await storageErrorCode { _ = try await store.makeWriter(key: Self.key, contentType: "text/plain\r\nx: y", logger: testLogger) }
                    == "storage_failure"
            )
            #expect(fake.requests.isEmpty)
        }
    }
}

/// A transport that answers every request with `answer`.
struct ScriptedTransport: S3Transport {
    let answer: @Sendable (S3HTTPRequest) -> S3HTTPResponse

    func execute(_ request: S3HTTPRequest, deadline: NIODeadline, logger: Logger) async throws(S3TransportError) -> S3HTTPResponse {
        self.answer(request)
    }
}
