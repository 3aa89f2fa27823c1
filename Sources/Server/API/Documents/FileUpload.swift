import Audit
import ContentValidation
import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Scanning

/// One file part in flight: inspected and streamed to storage chunk by chunk as it arrives; the writer
/// hashes it on the way (one SHA-256 pass, which the local store's ETag reuses).
///
/// Bytes are held back only until the inspector has sniffed the head (at most 64 KiB), because the
/// object's content type must be known when the write starts; from then on every chunk goes straight
/// to the store, so memory stays flat whatever the file size. The key's upload intent (``UploadIntentLog``) is
/// written when the writer opens and must be durable before the object is published, so that a crash cannot leave
/// an object nobody knows of; its commit runs beside the file's bytes instead of before them.
///
/// With an antivirus, every byte also goes to clamd as it goes to the store (``ScanSession``), in parallel with the
/// store's encryption and hashing rather than as a second pass: the scan starts before anything is stored (clamd
/// down means nothing is), and its verdict is awaited beside the object's commit. Only a clean verdict lets the
/// record out of ``finish(uploadedAt:)``; on a finding or a failed scan it throws, and the upload's clean-up removes
/// the object (``UploadReceiver/discard(after:)``), so no row ever points at unscanned bytes.
///
/// A JPEG, PNG, WebP or HEIC goes through a ``MetadataStripper`` between the inspector and the store: the inspector
/// sees the bytes as they came, the store, the scan and the hash see the stripped ones, so the record's size and
/// SHA-256 are those of the stored object. A broken image is refused (`invalid_image`) and its partial object removed like any
/// refused file's, so an unstripped original is never kept.
struct FileUpload {
    let documentID: UUID
    let key: DocumentKey
    let fileName: String
    let target: UploadTarget
    private var inspector: UploadInspector
    private var pending: [ByteBuffer] = []
    private(set) var writer: (any ObjectWriter)?
    /// Strips an image's metadata before it is stored; nil for other types, and until the type is known.
    private var stripper: (any MetadataStripper)?
    /// The bytes handed to the writer so far: the stored object's size.
    private var storedSize = 0
    /// Hashes the bytes as they came while ``stripper`` changes them, for ``receivedSHA256``.
    private var receivedHasher: SHA256?
    /// The SHA-256 of the bytes as they came (not as stored), once ``finish(uploadedAt:)`` has returned: what
    /// `medvault import` recognises a source file by on its next run.
    private(set) var receivedSHA256: String?
    /// The file's scan, started when the writer opens; nil when scanning is off.
    private var scan: ScanSession?
    /// The write of the upload intent for ``key``, started when the writer opens.
    private var intent: Task<Void, any Error>?
    private let store: any ObjectStore
    private let intents: UploadIntentLog
    private let antivirus: Antivirus
    private let logger: Logger

    init(
        fileName: String,
        target: UploadTarget,
        documentID: UUID,
        sniffer: MagicSniffer,
        limits: SizeLimits,
        store: any ObjectStore,
        intents: UploadIntentLog,
        antivirus: Antivirus,
        logger: Logger
    ) {
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
        self.inspector = UploadInspector(fileName: fileName, category: target.category, sniffer: sniffer, limits: limits)
        self.store = store
        self.intents = intents
        self.antivirus = antivirus
        self.logger = logger
    }

    /// Whether the stored bytes leave out metadata the upload carried, which its audit row records.
    var removedMetadata: Bool { stripper?.removedMetadata ?? false }

    /// Inspects and forwards the next chunk; throws as soon as a limit or a type rule is broken.
    mutating func append(_ chunk: ByteBuffer) async throws {
        try chunk.withUnsafeReadableBytes { try inspector.consume($0) }
        if writer != nil {
            try await forward(chunk)
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
        try stripper?.finish()
        guard let writer, let intent else { throw APIError.unexpected }
        try await intent.value
        let written = try await publish(writer)
        let digest = Self.hex(written.sha256)
        receivedSHA256 = receivedHasher.map { Self.hex($0.finalize()) } ?? digest
        return DocumentRecord(
            id: documentID,
            key: key.rawValue,
            fileName: fileName,
            size: Int64(storedSize),
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

    /// Removes whatever was written so far and abandons the scan; nothing of a failed upload stays behind.
    func abort() async {
        scan?.cancel()
        await writer?.abort()
    }

    /// Removes what this file stored, published or not, and forgets its upload intent: for a file refused after its
    /// bytes went to storage, or whose row could not be committed. What cannot be removed now is left, with its
    /// intent, to the abandoned-upload sweep.
    func discard() async {
        await abort()
        guard await intentRecorded() else { return }
        do {
            try await store.removeAbandonedUpload(key: key.rawValue, logger: logger)
            await intents.forget([key.rawValue])
        } catch {
            logger.warning("could not remove a failed file's object; the abandoned-upload sweep will", metadata: ["error": "\(error)"])
        }
    }

    /// Whether the upload intent for ``key`` was recorded, once its write has ended: if so, something may be stored
    /// under the key, and whoever abandons the upload must remove it before forgetting the intent.
    func intentRecorded() async -> Bool {
        guard let intent else { return false }
        return (try? await intent.value) != nil
    }

    /// Commits the object while clamd scans the end of the stream, and returns it only when the verdict is clean.
    /// Both are awaited whatever either does, so a finding wins over a storage failure and is audited as such.
    private func publish(_ writer: any ObjectWriter) async throws -> WrittenObject {
        guard let scan else { return try await writer.finish() }
        async let verdict = Self.verdict(of: scan)
        let written: Result<WrittenObject, StorageError>
        do {
            written = .success(try await writer.finish())
        } catch {
            written = .failure(error)
        }
        try MalwareFinding.check(try await verdict.get(), key: key.rawValue)
        return try written.get()
    }

    private static func verdict(of scan: ScanSession) async -> Result<ScanVerdict, ScanError> {
        do {
            return .success(try await scan.finish())
        } catch {
            return .failure(error)
        }
    }

    /// Starts the scan (so that clamd down stores nothing), then the upload intent's write, then opens the writer;
    /// ``finish(uploadedAt:)`` waits for the intent before it publishes the object.
    private mutating func open(_ type: AllowedType) async throws {
        scan = try await antivirus.startScan()
        let (intents, key) = (intents, key.rawValue)
        intent = Task { try await intents.record(key) }
        writer = try await store.makeWriter(key: key, contentType: type.mimeType, logger: logger)
        stripper = makeMetadataStripper(for: type)
        if stripper != nil { receivedHasher = SHA256() }
        for chunk in pending {
            try await forward(chunk)
        }
        pending = []
    }

    /// Strips the chunk when its type carries metadata, then scans and writes what is left of it.
    private mutating func forward(_ chunk: ByteBuffer) async throws {
        guard let writer else { throw APIError.unexpected }
        var stored = chunk
        if stripper != nil {
            chunk.withUnsafeReadableBytes { receivedHasher?.update(bufferPointer: $0) }
            stored = ByteBuffer(bytes: try chunk.withUnsafeReadableBytes { try stripper?.consume($0) } ?? [])
        }
        guard stored.readableBytes > 0 else { return }
        storedSize += stored.readableBytes
        try await scan?.send(stored)
        try await writer.write(stored)
    }

    /// Lowercase hex, as the index stores digests.
    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
