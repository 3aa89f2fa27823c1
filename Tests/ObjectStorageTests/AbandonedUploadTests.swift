import Foundation
import NIOCore
import Testing

@testable import ObjectStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ObjectStorageTests {
    @Suite("Abandoned uploads and a full disk")
    struct AbandonedUploadTests {
        static let key = "patients/p1/lab-results/0b7a-result.pdf"

        @Test("a full disk or quota is insufficient_storage (507), not a retryable outage")
        func fullDiskIsInsufficientStorage() {
            for code in [ENOSPC, EDQUOT] {
                let error = StorageError.systemCall("pwrite", errno: code)
                #expect(error.code == "insufficient_storage")
                #expect(error.retryAfter == nil)
            }
            #expect(StorageError.systemCall("open", errno: EMFILE).code == "storage_unavailable")
        }

        @Test("the local store removes the object of an abandoned upload; a missing one is no error")
        func localRemovesTheObject() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(patternBytes(count: 1000), key: Self.key)
                try await store.removeAbandonedUpload(key: Self.key, logger: testLogger)
                #expect(await storageErrorCode { _ = try await store.head(key: Self.key, logger: testLogger) } == "not_found")
                try await store.removeAbandonedUpload(key: Self.key, logger: testLogger)
            }
        }

        @Test("S3 aborts the incomplete multipart uploads to exactly that key, then deletes the object")
        func s3AbortsPendingUploadsOfTheKey() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16)
            let other = Self.key + ".other"
            var crashed: [any ObjectWriter] = []  // kept alive: a dropped writer aborts its upload itself
            for key in [Self.key, other] {
                let writer = try await store.makeWriter(key: key, contentType: "application/pdf", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: patternBytes(count: 40)))  // two parts sent, the upload left open
                crashed.append(writer)
            }
            try await S3Fixture.put(store, patternBytes(count: 8), key: Self.key)
            #expect(fake.pendingUploadCount == 2)

            try await store.removeAbandonedUpload(key: Self.key, logger: testLogger)

            #expect(fake.pendingUploadCount == 1, "the other key's upload is left alone")
            #expect(fake.objects[Self.key] == nil)
            #expect(fake.operations.suffix(3) == ["ListMultipartUploads", "AbortMultipartUpload", "DeleteObject"])
            withExtendedLifetime(crashed) {}
        }

        @Test("an S3 failure is reported, so the caller keeps the intent for the next sweep")
        func s3FailureIsReported() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16, retryPolicy: .none)
            try await S3Fixture.put(store, patternBytes(count: 8), key: Self.key)
            fake.inject(.status(503, code: "SlowDown"), operation: "DeleteObject")
            let code = await storageErrorCode { try await store.removeAbandonedUpload(key: Self.key, logger: testLogger) }
            #expect(code == "storage_unavailable")
            #expect(fake.objects[Self.key] != nil)
        }
    }
}
