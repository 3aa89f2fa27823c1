import ContentValidation
import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Testing

@testable import Server

/// ``FileUpload`` takes the document's `sha256` from the store's writer, which hashes every byte once.
@Suite struct FileUploadTests {
    @Test("the document's sha256 is the SHA-256 of every byte, sniffed head included, and its ETag is the stored one")
    func digestFromWriter() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))
        var body = Array("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".utf8)
        while body.count < 300_000 {
            body += Array("% line \(body.count)\n".utf8)
        }
        body += Array("2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
        let target = UploadTarget(category: .labResults, entityType: .patient, entityID: try EntityID(validating: "P-1001"), uploadedBy: "tester")
        let logger = Logger(label: "FileUploadTests", factory: { _ in SwiftLogNoOpLogHandler() })
        var upload = FileUpload(fileName: "report.pdf", target: target, documentID: UUID(), sniffer: try MagicSniffer(), store: store, logger: logger)
        for start in stride(from: 0, to: body.count, by: 70_001) {
            try await upload.append(ByteBuffer(bytes: body[start..<min(start + 70_001, body.count)]))
        }
        let record = try await upload.finish(uploadedAt: Date())

        #expect(record.sha256 == SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined())
        #expect(record.size == Int64(body.count))
        #expect(record.etag == (try await store.head(key: record.key, logger: logger)).etag)
    }
}
