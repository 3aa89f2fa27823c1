import Foundation
import Logging
import NIOCore
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("S3 writes keep an object only when S3 confirms the encryption asked for")
    struct S3EncryptionEchoTests {
        static let key = "patients/p1/lab-results/0b7a-result.pdf"
        static let kmsARN = "arn:aws:kms:us-east-1:111122223333:key/abcd"

        static func answer(_ headers: [(name: String, value: String)]) -> S3HTTPResponse {
            FakeS3.response(200, headers: headers)
        }

        @Test("the echo must name the algorithm asked for and, for SSE-KMS, the key")
        func mismatch() {
            let aes = [(name: "x-amz-server-side-encryption", value: "AES256")]
            #expect(S3EncryptionEcho.mismatch(requested: aes, response: Self.answer([("X-Amz-Server-Side-Encryption", "AES256")])) == nil)
            #expect(S3EncryptionEcho.mismatch(requested: aes, response: Self.answer([])) != nil)
            #expect(S3EncryptionEcho.mismatch(requested: aes, response: Self.answer([("x-amz-server-side-encryption", "aws:kms")])) != nil)

            func kms(_ requested: String, echoed: [(name: String, value: String)]) -> String? {
                S3EncryptionEcho.mismatch(
                    requested: [("x-amz-server-side-encryption", "aws:kms"), (S3EncryptionEcho.kmsKeyIDHeader, requested)],
                    response: Self.answer(echoed)
                )
            }
            let echoedARN = [("x-amz-server-side-encryption", "aws:kms"), (S3EncryptionEcho.kmsKeyIDHeader, Self.kmsARN)]
            #expect(kms(Self.kmsARN, echoed: echoedARN) == nil)
            #expect(kms("abcd", echoed: echoedARN) == nil, "a key id is echoed as its ARN")
            #expect(kms("alias/medvault", echoed: echoedARN) == nil, "an alias is echoed as the ARN of its key")
            #expect(kms("bcd", echoed: echoedARN) != nil)
            #expect(kms("arn:aws:kms:us-east-1:111122223333:key/other", echoed: echoedARN) != nil)
            #expect(kms(Self.kmsARN, echoed: [("x-amz-server-side-encryption", "aws:kms")]) != nil, "the key must be echoed too")
            #expect(kms(Self.kmsARN, echoed: [("x-amz-server-side-encryption", "AES256"), (S3EncryptionEcho.kmsKeyIDHeader, Self.kmsARN)]) != nil)
        }

        @Test("a PutObject answered without the SSE echo is deleted and fails; the log names the headers, not the key")
        func unconfirmedPut() async throws {
            let fake = FakeS3()
            fake.encrypt(.ignored)
            let store = try S3Fixture.store(fake, partSize: 16)
            let logs = CapturingLogHandler.Box()
            let logger = Logger(label: "test") { _ in CapturingLogHandler(box: logs) }
            let code = await storageErrorCode { try await S3Fixture.put(store, patternBytes(count: 10), key: Self.key, logger: logger) }
            #expect(code == "storage_failure")
            #expect(fake.operations == ["PutObject", "DeleteObject"])
            #expect(fake.objects.isEmpty)
            let errors = logs.all.filter { $0.level == .error }
            #expect(errors.contains { $0.metadata["s3.operation"] == "PutObject" && $0.metadata["s3.sse"]?.contains("missing") == true })
            #expect(!logs.all.filter { $0.level >= .info }.contains { "\($0.message) \($0.metadata)".contains("patients/p1") })
        }

        @Test("a multipart upload completed under another encryption than asked for is deleted and fails")
        func unconfirmedMultipart() async throws {
            let fake = FakeS3()
            fake.encrypt(.substituted("AES256"))
            let store = try S3Fixture.store(fake, partSize: 16, kmsKeyID: Self.kmsARN)
            let code = await storageErrorCode { try await S3Fixture.put(store, patternBytes(count: 40), key: Self.key) }
            #expect(code == "storage_failure")
            #expect(fake.operations.suffix(2) == ["CompleteMultipartUpload", "DeleteObject"])
            #expect(fake.objects.isEmpty)
            #expect(fake.pendingUploadCount == 0)
        }

        @Test("confirmed writes are kept: SSE-S3 and SSE-KMS, single and multipart")
        func confirmed() async throws {
            for kmsKeyID in [nil, Self.kmsARN] {
                let fake = FakeS3()
                let store = try S3Fixture.store(fake, partSize: 16, kmsKeyID: kmsKeyID)
                let small = try await S3Fixture.put(store, patternBytes(count: 10), key: Self.key)
                let large = try await S3Fixture.put(store, patternBytes(count: 40), key: Self.key + "2")
                #expect(small.serverSideEncryption == (kmsKeyID == nil ? "AES256" : "aws:kms"))
                #expect(large.serverSideEncryption == small.serverSideEncryption)
                #expect(!fake.operations.contains("DeleteObject"))
                #expect(fake.objects.count == 2)
            }
        }

        @Test("a copy S3 does not confirm as encrypted is deleted; the move fails and the source stays")
        func unconfirmedMove() async throws {
            let fake = FakeS3()
            let store = try S3Fixture.store(fake)
            let bytes = patternBytes(count: 12)
            try await S3Fixture.put(store, bytes, key: Self.key)
            fake.encrypt(.ignored)
            let archived = "archived/" + Self.key
            #expect(await storageErrorCode { try await store.move(from: Self.key, to: archived, logger: testLogger) } == "storage_failure")
            #expect(fake.operations.suffix(2) == ["CopyObject", "DeleteObject"])
            #expect(fake.requests.last?.path == "/medvault-test/" + archived)
            #expect(fake.objects.keys.sorted() == [Self.key])
            #expect(try await S3Fixture.get(store, Self.key) == bytes)
        }
    }
}
