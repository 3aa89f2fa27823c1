import ContentValidation
import Crypto
import Foundation
import Persistence
import Testing

@testable import Server

/// ``FileUpload`` stores a JPEG without its metadata: the record's size and SHA-256 are the stored bytes', the digest
/// of the bytes as they came is kept for `medvault import`, and a JPEG cut short is refused with nothing left behind.
@Suite struct FileUploadStrippingTests {
    static let start: [UInt8] =
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
    static let scan: [UInt8] = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00] + [UInt8](repeating: 0x3F, count: 100_000)

    /// A comment segment of `size` bytes naming the owner, past the inspector's head so that it spans chunks.
    static func comment(size: Int) -> [UInt8] {
        let text = Array("owner: Jane Doe ".utf8)
        let payload = (0..<size).map { text[$0 % text.count] }
        return [0xFF, 0xFE, UInt8((size + 2) >> 8), UInt8((size + 2) & 0xFF)] + payload
    }

    static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-upload-strip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    @Test func storesTheStrippedBytesAndRecordsTheirSizeAndDigest() async throws {
        let body = Self.start + Self.comment(size: 60_000) + Self.comment(size: 30_000) + Self.scan + [0xFF, 0xD9]
        let stored = Self.start + Self.scan + [0xFF, 0xD9]
        try await Self.withDirectory { directory in
            let (record, upload) = try await FileUploadRun.upload(body, fileName: "photo.jpg", directory: directory)
            #expect(record.contentType == "image/jpeg")
            #expect(record.size == Int64(stored.count))
            #expect(record.sha256 == Self.hex(stored))
            #expect(upload.receivedSHA256 == Self.hex(body))
            #expect(upload.removedMetadata)
        }
    }

    @Test func keepsAFileWithoutMetadataAsItCame() async throws {
        let body = Self.start + Self.scan + [0xFF, 0xD9]
        try await Self.withDirectory { directory in
            let (record, upload) = try await FileUploadRun.upload(body, fileName: "photo.jpg", directory: directory)
            #expect(record.size == Int64(body.count))
            #expect(record.sha256 == Self.hex(body))
            #expect(upload.receivedSHA256 == record.sha256)
            #expect(!upload.removedMetadata)
        }
    }

    @Test func refusesAJPEGCutShortAndLeavesNothing() async throws {
        try await Self.withDirectory { directory in
            await #expect(throws: UploadRejection.invalidImage("the JPEG ends before its end-of-image marker")) {
                _ = try await FileUploadRun.upload(Self.start + Self.comment(size: 60_000) + Self.scan, fileName: "photo.jpg", directory: directory)
            }
            #expect(FileUploadTests.files(under: directory) == [])
        }
    }
}
