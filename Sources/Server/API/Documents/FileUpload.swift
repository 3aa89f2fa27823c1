import Audit
import ContentValidation
import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence

/// One file part in flight: inspected and streamed to storage chunk by chunk as it arrives; the writer
/// hashes it on the way (one SHA-256 pass, which the local store's ETag reuses).
///
/// Bytes are held back only until the inspector has sniffed the head (at most 64 KiB), because the
/// object's content type must be known when the write starts; from then on every chunk goes straight
/// to the store, so memory stays flat whatever the file size.
struct FileUpload {
    let documentID: UUID
    let key: DocumentKey
    let fileName: String
    let target: UploadTarget
    private var inspector: UploadInspector
    private var pending: [ByteBuffer] = []
    private(set) var writer: (any ObjectWriter)?
    private let store: any ObjectStore
    private let logger: Logger

    init(fileName: String, target: UploadTarget, documentID: UUID, sniffer: MagicSniffer, store: any ObjectStore, logger: Logger) {
        self.documentID = documentID
        self.fileName = fileName
        self.target = target
        self.key = KeyLayout.documentKey(
            entityType: target.entityType,
            entityID: target.entityID,
            category: target.category,
            documentID: documentID,
            fileName: fileName
        )
        self.inspector = UploadInspector(fileName: fileName, sniffer: sniffer)
        self.store = store
        self.logger = logger
    }

    /// Inspects and forwards the next chunk; throws as soon as a limit or a type rule is broken.
    mutating func append(_ chunk: ByteBuffer) async throws {
        try chunk.withUnsafeReadableBytes { try inspector.consume($0) }
        if let writer {
            try await writer.write(chunk)
            return
        }
        pending.append(chunk)
        if let type = inspector.decidedType {
            try await open(type)
        }
    }

    /// Completes the inspection (OOXML and SVG verdicts come at the end) and commits the object.
    mutating func finish(uploadedAt: Date) async throws -> DocumentRecord {
        let inspected = try inspector.finish()
        if writer == nil {
            try await open(inspected.type)
        }
        guard let writer else { throw APIError.unexpected }
        let written = try await writer.finish()
        let digest = written.sha256.map { String(format: "%02x", $0) }.joined()
        return DocumentRecord(
            id: documentID,
            key: key.rawValue,
            fileName: fileName,
            size: Int64(inspected.size),
            contentType: inspected.type.mimeType,
            category: target.category,
            entityType: target.entityType,
            entityID: target.entityID.rawValue,
            sha256: digest,
            etag: written.info.etag,
            uploadedAt: uploadedAt,
            uploadedBy: target.uploadedBy
        )
    }

    /// Removes whatever was written so far; nothing of a failed upload stays behind.
    func abort() async {
        await writer?.abort()
    }

    private mutating func open(_ type: AllowedType) async throws {
        let writer = try await store.makeWriter(key: key.rawValue, contentType: type.mimeType, logger: logger)
        self.writer = writer
        for chunk in pending {
            try await writer.write(chunk)
        }
        pending = []
    }
}

/// Where the files of one upload request go: the form fields that precede the file parts.
struct UploadTarget: Sendable {
    let category: FileCategory
    let entityType: EntityType
    let entityID: EntityID
    /// The uploading user's id, recorded as `uploaded_by`.
    let uploadedBy: String
}
