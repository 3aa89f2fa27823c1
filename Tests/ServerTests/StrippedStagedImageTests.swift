import ContentValidation
import Crypto
import Documents
import Foundation
import NIOCore
import ObjectStorage
import Testing

@testable import Server

/// ``StrippedStagedImage`` on the local store: a staged JPEG becomes a document object without its metadata, whose
/// size and SHA-256 are the stored bytes', and a broken one leaves nothing under the document key.
@Suite struct StrippedStagedImageTests {
    static let stagingKey = "quarantine/0b9b1c9e-5a53-4c1e-9d7e-2f8f3b1d8a10"
    static let documentKey = "patients/P-1/profile/0b9b1c9e-5a53-4c1e-9d7e-2f8f3b1d8a10-photo.jpg"

    static func withStore<T>(_ body: (LocalObjectStore) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stripped-staged-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(data: [UInt8](repeating: 7, count: 32))))
    }

    static func stage(_ bytes: [UInt8], in store: LocalObjectStore) async throws {
        let writer = try await store.makeWriter(key: stagingKey, contentType: "image/jpeg", logger: FileUploadRun.logger)
        try await writer.write(ByteBuffer(bytes: bytes))
        _ = try await writer.finish()
    }

    static func contents(of key: String, in store: LocalObjectStore) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in try await store.read(key: key, range: nil, logger: FileUploadRun.logger).body {
            bytes += chunk.readableBytesView
        }
        return bytes
    }

    @Test func writesTheImageWithoutItsMetadataAndRecordsTheStoredBytes() async throws {
        let staged = FileUploadStrippingTests.start + FileUploadStrippingTests.comment(size: 60_000) + FileUploadStrippingTests.scan + [0xFF, 0xD9]
        let expected = FileUploadStrippingTests.start + FileUploadStrippingTests.scan + [0xFF, 0xD9]
        try await Self.withStore { store in
            try await Self.stage(staged, in: store)
            let stored = try await StrippedStagedImage(store: store, logger: FileUploadRun.logger)
                .write(from: Self.stagingKey, to: Self.documentKey, type: .jpeg, stripper: try #require(makeMetadataStripper(for: .jpeg)))
            #expect(try await Self.contents(of: Self.documentKey, in: store) == expected)
            #expect(stored.size == Int64(expected.count))
            #expect(stored.sha256 == FileUploadStrippingTests.hex(expected))
            #expect(stored.removedMetadata)
            #expect(try await store.head(key: Self.stagingKey, logger: FileUploadRun.logger).size == Int64(staged.count))
        }
    }

    @Test func leavesNothingUnderTheDocumentKeyForABrokenImage() async throws {
        try await Self.withStore { store in
            try await Self.stage(FileUploadStrippingTests.start + FileUploadStrippingTests.scan, in: store)
            await #expect(throws: UploadRejection.invalidImage("the JPEG ends before its end-of-image marker")) {
                _ = try await StrippedStagedImage(store: store, logger: FileUploadRun.logger)
                    .write(from: Self.stagingKey, to: Self.documentKey, type: .jpeg, stripper: try #require(makeMetadataStripper(for: .jpeg)))
            }
            await #expect(throws: StorageError.self) { _ = try await store.head(key: Self.documentKey, logger: FileUploadRun.logger) }
        }
    }
}
