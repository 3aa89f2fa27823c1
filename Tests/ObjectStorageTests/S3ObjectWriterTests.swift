import Crypto
import Foundation
import Logging
import NIOCore
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("S3 streaming uploads (fake transport)")
    struct S3ObjectWriterTests {
        static let key = "patients/p1/lab-results/0b7a-result.pdf"

        static func sha256Hex(_ bytes: some Sequence<UInt8>) -> String {
            SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
        }

        @Test("an object within one part is a single signed PutObject with its SHA-256, checksum, type and SSE")
        func singlePut() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16)
            let bytes = patternBytes(count: 16, seed: 3)
            let info = try await S3Fixture.put(store, bytes, key: Self.key)

            #expect(fake.operations == ["PutObject"])
            let put = try #require(fake.requests.first)
            #expect(put.body == bytes)
            #expect(put.header("x-amz-content-sha256") == Self.sha256Hex(bytes))
            #expect(put.header("x-amz-checksum-sha256") == Data(SHA256.hash(data: bytes)).base64EncodedString())
            #expect(put.header("content-type") == "application/pdf")
            #expect(put.header("x-amz-server-side-encryption") == "AES256")
            let authorization = try #require(put.header("authorization"))
            #expect(
                authorization.contains(
                    "SignedHeaders=content-type;host;x-amz-checksum-sha256;x-amz-content-sha256;x-amz-date;x-amz-server-side-encryption,"
                )
            )
            #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/s3/aws4_request"))
            #expect(put.header("x-amz-date") == "20261123T162136Z")

            #expect(
                info
                    == ObjectInfo(
                        key: Self.key,
                        size: 16,
                        etag: FakeS3.md5ETag(bytes),
                        lastModified: S3Fixture.date,
                        contentType: "application/pdf",
                        serverSideEncryption: "AES256"
                    )
            )
            #expect(fake.objects[Self.key]?.bytes == bytes)
        }

        @Test("a larger object is a multipart upload: full parts while streaming, the rest at finish, then complete")
        func multipart() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16)
            let bytes = patternBytes(count: 40, seed: 4)
            let info = try await S3Fixture.put(store, bytes, key: Self.key)

            #expect(fake.operations == ["CreateMultipartUpload", "UploadPart", "UploadPart", "UploadPart", "CompleteMultipartUpload"])
            let requests = fake.requests
            #expect(requests[0].header("x-amz-server-side-encryption") == "AES256")
            #expect(requests[0].header("content-type") == "application/pdf")
            #expect(requests[0].header("authorization")?.contains("x-amz-server-side-encryption") == true)
            let parts = requests[1...3]
            #expect(parts.map(\.body.count) == [16, 16, 8])
            #expect(parts.map { $0.query["partNumber"] } == ["1", "2", "3"])
            #expect(parts.allSatisfy { $0.query["uploadId"] == "upload-1" && $0.header("x-amz-server-side-encryption") == nil })
            #expect(parts.allSatisfy { $0.header("x-amz-content-sha256") == Self.sha256Hex($0.body) })
            let complete = try S3XMLReader.parse(requests[4].body)
            #expect(complete.children("Part").map { $0.text(of: "ETag") } == parts.map { FakeS3.md5ETag($0.body) })

            #expect(fake.objects[Self.key]?.bytes == bytes)
            #expect(info.size == 40)
            #expect(info.etag.hasSuffix("-3\""))
            #expect(info.serverSideEncryption == "AES256")
            #expect(fake.pendingUploadCount == 0)
        }

        @Test("finish reports the SHA-256 of every byte written, for a single PutObject and across parts", arguments: [10, 40])
        func contentDigest(size: Int) async throws {
            let store = try S3Fixture.store(FakeS3(), partSize: 16)
            let bytes = patternBytes(count: size, seed: 5)
            let writer = try await store.makeWriter(key: Self.key, contentType: "application/pdf", logger: testLogger)
            for piece in [bytes[0..<3], bytes[3..<9], bytes[9...]] {
                try await writer.write(ByteBuffer(bytes: piece))
            }
            #expect(try await writer.finish().sha256 == SHA256.hash(data: bytes))
        }

        @Test("the part buffer never grows past one part (a power of two, like the default 8 MiB), whatever the chunk sizes")
        func memoryBound() async throws {
            let fake = FakeS3()
            let partSize = 65_536
            let store = try S3Fixture.store(fake, partSize: partSize)
            let writer = try #require(
                try await store.makeWriter(key: Self.key, contentType: "application/pdf", logger: testLogger) as? S3ObjectWriter
            )
            var peak = 0
            for size in [7_000, 65_536, 1, 99_999, 250_000, 3] {
                try await writer.write(ByteBuffer(bytes: patternBytes(count: size, seed: UInt64(size))))
                peak = max(peak, await writer.bufferCapacity)
            }
            _ = try await writer.finish()
            #expect(peak <= partSize)
            #expect(peak >= partSize / 2)
            #expect(fake.requests.filter { $0.operation == "UploadPart" }.map(\.body.count) == Array(repeating: partSize, count: 6) + [29_323])
        }

        @Test("SSE-KMS sends aws:kms and the key id on PutObject and CreateMultipartUpload")
        func kms() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16, kmsKeyID: "arn:aws:kms:us-east-1:111122223333:key/abcd")
            try await S3Fixture.put(store, patternBytes(count: 5), key: "patients/p1/forms/a.pdf")
            try await S3Fixture.put(store, patternBytes(count: 20), key: "patients/p1/forms/b.pdf")
            for request in fake.requests where ["PutObject", "CreateMultipartUpload"].contains(request.operation) {
                #expect(request.header("x-amz-server-side-encryption") == "aws:kms")
                #expect(request.header("x-amz-server-side-encryption-aws-kms-key-id") == "arn:aws:kms:us-east-1:111122223333:key/abcd")
                #expect(request.header("authorization")?.contains("x-amz-server-side-encryption-aws-kms-key-id") == true)
            }
            #expect(store.summary.encryption == "SSE-KMS (arn:aws:kms:us-east-1:111122223333:key/abcd)")
        }

        @Test("a part S3 refuses fails the write, aborts the upload and logs S3's code (not the key) at error level")
        func failedPartAborts() async throws {
            let fake = FakeS3()
            fake.inject(.status(403, code: "AccessDenied"), operation: "UploadPart")
            let store = try S3Fixture.store(fake, partSize: 16)
            let logs = CapturingLogHandler.Box()
            let logger = Logger(label: "test") { _ in CapturingLogHandler(box: logs) }
            let writer = try await store.makeWriter(key: Self.key, contentType: "application/pdf", logger: logger)
            try await writer.write(ByteBuffer(bytes: patternBytes(count: 16)))
            let code = await storageErrorCode { try await writer.write(ByteBuffer(bytes: [1])) }
            #expect(code == "storage_denied")
            #expect(fake.operations == ["CreateMultipartUpload", "UploadPart", "AbortMultipartUpload"])
            #expect(fake.pendingUploadCount == 0)
            #expect(fake.objects.isEmpty)
            #expect(await storageErrorCode { _ = try await writer.finish() } == "storage_failure")

            let errors = logs.all.filter { $0.level == .error }
            #expect(errors.contains { $0.metadata["s3.code"] == "AccessDenied" && $0.metadata["s3.operation"] == "UploadPart" })
            #expect(!logs.all.filter { $0.level >= .info }.contains { "\($0.message) \($0.metadata)".contains("patients/p1") })
        }

        @Test("abort() after a part was sent aborts the multipart upload; nothing is stored")
        func abortAfterPart() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16)
            let writer = try await store.makeWriter(key: Self.key, contentType: "application/pdf", logger: testLogger)
            try await writer.write(ByteBuffer(bytes: patternBytes(count: 33)))
            #expect(fake.pendingUploadCount == 1)
            await writer.abort()
            await writer.abort()
            #expect(fake.operations == ["CreateMultipartUpload", "UploadPart", "UploadPart", "AbortMultipartUpload"])
            #expect(fake.pendingUploadCount == 0)
            #expect(fake.objects.isEmpty)
            #expect(await storageErrorCode { try await writer.write(ByteBuffer(bytes: [1])) } == "storage_failure")
        }

        @Test("abort() before anything was sent sends nothing")
        func abortSmall() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16)
            let writer = try await store.makeWriter(key: Self.key, contentType: "application/pdf", logger: testLogger)
            try await writer.write(ByteBuffer(bytes: patternBytes(count: 10)))
            await writer.abort()
            #expect(fake.requests.isEmpty)
        }

        @Test("a writer dropped mid-upload aborts its multipart upload in the background")
        func droppedWriter() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake, partSize: 16)
            do {
                let writer = try await store.makeWriter(key: Self.key, contentType: "application/pdf", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: patternBytes(count: 20)))
            }
            for _ in 0..<200 where fake.pendingUploadCount > 0 {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(fake.pendingUploadCount == 0)
            #expect(fake.operations.last == "AbortMultipartUpload")
        }

        @Test("a throttled part is retried after the policy's pause; CreateMultipartUpload is never retried")
        func retries() async throws {
            let fake = FakeS3()
            fake.inject(.status(503, code: "SlowDown"), operation: "UploadPart")
            let pauses = S3Fixture.Pauses()
            let store = try S3Fixture.store(fake, partSize: 16, pauses: pauses)
            try await S3Fixture.put(store, patternBytes(count: 20), key: Self.key)
            #expect(fake.operations == ["CreateMultipartUpload", "UploadPart", "UploadPart", "UploadPart", "CompleteMultipartUpload"])
            #expect(pauses.all == [.milliseconds(75)])

            let second = FakeS3()
            second.inject(.status(503, code: "SlowDown"), operation: "CreateMultipartUpload")
            let failing = try S3Fixture.store(second, partSize: 16)
            let code = await storageErrorCode { try await S3Fixture.put(failing, patternBytes(count: 20), key: Self.key) }
            #expect(code == "storage_unavailable")
            #expect(second.operations == ["CreateMultipartUpload"])
        }

        @Test("an <Error> inside CompleteMultipartUpload's 200 is retried, and a lost answer is confirmed with HeadObject")
        func completion() async throws {
            let fake = FakeS3()
            fake.inject(.embeddedError(code: "InternalError"), operation: "CompleteMultipartUpload")
            let store = try S3Fixture.store(fake, partSize: 16)
            let bytes = patternBytes(count: 40)
            _ = try await S3Fixture.put(store, bytes, key: Self.key)
            #expect(fake.operations.suffix(2) == ["CompleteMultipartUpload", "CompleteMultipartUpload"])
            #expect(fake.objects[Self.key]?.bytes == bytes)

            let lost = FakeS3()
            lost.inject(.lostAnswer, operation: "CompleteMultipartUpload")
            let info = try await S3Fixture.put(try S3Fixture.store(lost, partSize: 16), bytes, key: Self.key)
            #expect(lost.operations.suffix(3) == ["CompleteMultipartUpload", "CompleteMultipartUpload", "HeadObject"])
            #expect(info.etag.hasSuffix("-3\""))
            #expect(info.size == 40)
        }

        @Test("an embedded error that is not transient fails the upload and aborts it")
        func completionRejected() async throws {
            let fake = FakeS3()
            fake.inject(.embeddedError(code: "InvalidPart"), operation: "CompleteMultipartUpload")
            let store = try S3Fixture.store(fake, partSize: 16)
            let code = await storageErrorCode { try await S3Fixture.put(store, patternBytes(count: 40), key: Self.key) }
            #expect(code == "storage_failure")
            #expect(fake.operations.last == "AbortMultipartUpload")
            #expect(fake.pendingUploadCount == 0)
            #expect(fake.objects.isEmpty)
        }
    }
}
