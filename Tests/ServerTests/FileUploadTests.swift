import ContentValidation
import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Synchronization
import Testing

@testable import Server

/// ``FileUpload`` takes the document's `sha256` from the store's writer, which hashes every byte once, and records
/// the key's upload intent before the first byte goes to the store.
@Suite struct FileUploadTests {
    static let logger = Logger(label: "FileUploadTests", factory: { _ in SwiftLogNoOpLogHandler() })
    static func target() throws -> UploadTarget {
        UploadTarget(category: .labResults, entityType: .patient, entityID: try EntityID(validating: "P-1001"), uploadedBy: "tester")
    }

    /// The intents an upload recorded, in order, and whether the store already held an object under the key when each
    /// became durable.
    final class RecordedIntents: Sendable {
        let keys = Mutex<[String]>([])
        let publishedBeforeDurable = Mutex<[Bool]>([])
    }

    /// Every regular file under `directory`, temporary files included.
    static func files(under directory: URL) -> [String] {
        let paths = (try? FileManager.default.subpathsOfDirectory(atPath: directory.path)) ?? []
        return paths.filter { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(path).path)
            return attributes?[.type] as? FileAttributeType == .typeRegular
        }
    }

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
        let recorded = RecordedIntents()
        let intents = UploadIntentLog(
            record: { key in
                // A slow commit: the object must still not be published when it ends.
                try await Task.sleep(for: .milliseconds(200))
                let published = (try? await store.head(key: key, logger: Self.logger)) != nil
                recorded.keys.withLock { $0.append(key) }
                recorded.publishedBeforeDurable.withLock { $0.append(published) }
            },
            forget: { _ in }
        )
        var upload = FileUpload(
            fileName: "report.pdf",
            target: try Self.target(),
            documentID: UUID(),
            sniffer: try MagicSniffer(),
            limits: .standard,
            store: store,
            intents: intents,
            antivirus: .off,
            logger: Self.logger
        )
        for start in stride(from: 0, to: body.count, by: 70_001) {
            try await upload.append(ByteBuffer(bytes: body[start..<min(start + 70_001, body.count)]))
        }
        let record = try await upload.finish(uploadedAt: Date())

        #expect(record.sha256 == SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined())
        #expect(record.size == Int64(body.count))
        #expect(record.etag == (try await store.head(key: record.key, logger: Self.logger)).etag)
        #expect(recorded.keys.withLock { $0 } == [record.key], "one intent, for the document's key")
        #expect(recorded.publishedBeforeDurable.withLock { $0 } == [false], "the object is published only once its intent is durable")
        #expect(await upload.intentRecorded())
    }

    @Test("when the intent cannot be recorded, nothing is published and the error surfaces")
    func noIntentNoBytes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("file-upload-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))
        struct Refused: Error {}
        let intents = UploadIntentLog(record: { _ in throw Refused() }, forget: { _ in })
        var upload = FileUpload(
            fileName: "report.pdf",
            target: try Self.target(),
            documentID: UUID(),
            sniffer: try MagicSniffer(),
            limits: .standard,
            store: store,
            intents: intents,
            antivirus: .off,
            logger: Self.logger
        )
        await #expect(throws: Refused.self) {
            try await upload.append(ByteBuffer(bytes: Array("%PDF-1.4\n%%EOF\n".utf8)))
            _ = try await upload.finish(uploadedAt: Date())
        }
        #expect(!(await upload.intentRecorded()))
        await upload.abort()
        #expect(Self.files(under: directory) == [], "no object, and no temporary file after the abort")
    }
}
