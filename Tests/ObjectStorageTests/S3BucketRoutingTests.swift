import Documents
import Foundation
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    /// Which bucket each call of a store with `MEDVAULT_BUCKET_ROUTES` addresses. The fake serves only the documents
    /// bucket, so calls on the routed bucket fail there; what matters is the request they sent.
    @Suite("S3 bucket routes (fake transport)")
    struct S3BucketRoutingTests {
        static let routed = "patients/p1/verification/0f8fad5b-d9cb-469f-a165-70867728950e-id.jpg"

        static func store(_ fake: FakeS3) throws -> S3ObjectStore {
            var configuration = S3Fixture.configuration()
            configuration.routes = try BucketRoutes(parsing: "verification-photo=clinic-verification")
            return try S3ObjectStore(
                configuration: configuration,
                transport: fake,
                environment: S3Environment(now: { S3Fixture.date }, random: { 0.5 }, sleep: { _ in })
            )
        }

        @Test("a routed key's reads, deletes and pre-signed URLs address its bucket; other keys the documents bucket")
        func routedCalls() async throws {
            let fake = FakeS3()
            let store = try Self.store(fake)
            _ = try? await store.head(key: Self.routed, logger: testLogger)
            _ = try? await store.delete(key: "archived/" + Self.routed, logger: testLogger)
            _ = try? await store.head(key: "patients/p1/imaging/0f8fad5b-d9cb-469f-a165-70867728950e-scan.dcm", logger: testLogger)
            #expect(
                fake.requests.map(\.path) == [
                    "/clinic-verification/" + Self.routed, "/clinic-verification/archived/" + Self.routed,
                    "/medvault-test/patients/p1/imaging/0f8fad5b-d9cb-469f-a165-70867728950e-scan.dcm",
                ]
            )
            let url = try store.presignedGetURL(
                key: Self.routed,
                expires: 60,
                responseContentType: "",
                responseContentDisposition: "",
                date: S3Fixture.date
            )
            #expect(url.hasPrefix("http://127.0.0.1:9000/clinic-verification/patients/p1/verification/"))
            #expect(store.buckets == ["medvault-test", "clinic-verification"])
        }

        @Test("accepting a staged direct upload copies from the documents bucket into the routed one")
        func crossBucketCopy() async throws {
            let fake = FakeS3()
            let store = try Self.store(fake)
            try await S3Fixture.put(store, Array("staged".utf8), key: "quarantine/0f8fad5b-d9cb-469f-a165-70867728950e")
            _ = try? await store.move(from: "quarantine/0f8fad5b-d9cb-469f-a165-70867728950e", to: Self.routed, logger: testLogger)
            let copy = try #require(fake.requests.first { $0.operation == "CopyObject" })
            #expect(copy.path == "/clinic-verification/" + Self.routed)
            #expect(copy.header("x-amz-copy-source") == "medvault-test/quarantine/0f8fad5b-d9cb-469f-a165-70867728950e")
        }

        @Test("a store restricted to one bucket has no routes")
        func restricted() async throws {
            let fake = FakeS3(bucket: "clinic-verification")
            let view = try Self.store(fake).restricted(to: "clinic-verification")
            #expect(view.buckets == ["clinic-verification"])
            _ = try? await view.head(key: "patients/p1/imaging/x.dcm", logger: testLogger)
            #expect(fake.requests.map(\.path) == ["/clinic-verification/patients/p1/imaging/x.dcm"])
        }
    }
}
