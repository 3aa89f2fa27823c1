import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Testing

@testable import Server

/// ``DocumentPreviews`` on the real local store: made after an upload, made again on request when missing, and
/// never made of what gets none.
@Suite struct DocumentPreviewsTests {
    static let logger = Logger(label: "test.previews")
    /// A one-page PDF (300 × 150 points) whose cross-reference table poppler rebuilds.
    static let pdf = Array(
        """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 150] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF

        """.utf8
    )

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("previews-\(UUID().uuidString)")
    let store: LocalObjectStore
    let previews = DocumentPreviews.start(enabled: true, limits: .standard, logger: Self.logger)

    init() {
        store = LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(size: .bits256))
    }

    /// Stores `bytes` as a document of `contentType` and returns its row.
    func document(_ bytes: [UInt8], contentType: String) async throws -> DocumentRecord {
        let id = UUID()
        let key = "patients/P1/other/\(id.lowercaseText)-file"
        let writer = try await store.makeWriter(key: key, contentType: contentType, logger: Self.logger)
        try await writer.write(ByteBuffer(bytes: bytes))
        let written = try await writer.finish()
        return DocumentRecord(
            id: id,
            key: key,
            fileName: "file",
            size: Int64(bytes.count),
            contentType: contentType,
            category: .other,
            entityType: .patient,
            entityID: "P1",
            sha256: String(repeating: "0", count: 64),
            etag: written.info.etag,
            uploadedAt: Date()
        )
    }

    func variant(_ variant: DocumentVariant, of record: DocumentRecord) async throws -> ObjectInfo? {
        try await store.headIfPresent(key: DerivedKey(documentID: record.id, variant: variant).rawValue, logger: Self.logger)
    }

    @Test func aPDFGetsBothPreviewsOnUploadAndAMissingOneOnRequest() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = try await document(Self.pdf, contentType: "application/pdf")
        await previews.make(for: [record], store: store, logger: Self.logger)
        for kind in [DocumentVariant.thumbnail, .mobile] {
            #expect(try await variant(kind, of: record)?.contentType == "image/jpeg")
        }
        try await store.delete(key: DerivedKey(documentID: record.id, variant: .thumbnail).rawValue, logger: Self.logger)
        let made = try await previews.stored(.thumbnail, of: record, store: store, logger: Self.logger)
        #expect(made?.contentType == "image/jpeg")
        #expect(try await previews.stored(.poster, of: record, store: store, logger: Self.logger) == nil)
    }

    @Test func textAndDamagedImagesGetNoneAndTheUploadIsNotRefused() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = try await document(Array("notes\n".utf8), contentType: "text/plain")
        let damaged = try await document([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], contentType: "image/png")
        await previews.make(for: [text, damaged], store: store, logger: Self.logger)
        for record in [text, damaged] {
            #expect(try await variant(.thumbnail, of: record) == nil)
            #expect(try await previews.stored(.thumbnail, of: record, store: store, logger: Self.logger) == nil)
        }
    }

    @Test func offMakesNothingButServesWhatIsStored() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = try await document(Self.pdf, contentType: "application/pdf")
        await DocumentPreviews.off.make(for: [record], store: store, logger: Self.logger)
        #expect(try await variant(.thumbnail, of: record) == nil)
        #expect(try await DocumentPreviews.off.stored(.thumbnail, of: record, store: store, logger: Self.logger) == nil)
        await previews.make(for: [record], store: store, logger: Self.logger)
        #expect(try await DocumentPreviews.off.stored(.mobile, of: record, store: store, logger: Self.logger) != nil)
    }
}
