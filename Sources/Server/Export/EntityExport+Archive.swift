import Archive
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence

extension EntityExport {
    /// Streams the archive to `sink`, front to back: each document's bytes read from `store` as they come (the CRC-32,
    /// SHA-1 and SHA-256 computed on the way), then `manifest.json`, then `fhir-bundle.json`, then the central
    /// directory. Memory holds one buffer of document bytes at a time, whatever the documents' sizes.
    ///
    /// Throws ``ExportError`` when a document's object cannot be read or does not match its row (size or SHA-256),
    /// leaving the archive unfinished: no central directory, so no reader takes it for complete.
    package func write(from store: any ObjectStore, logger: Logger, to sink: (ByteBuffer) async throws -> Void) async throws {
        var writer = ZipWriter(thresholds: thresholds)
        var exported: [ExportedDocument] = []
        exported.reserveCapacity(documents.count)
        for record in documents {
            exported.append(try await write(record, from: store, writer: &writer, logger: logger, to: sink))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try await writeFile("manifest.json", try encoder.encode(ExportManifest(self, documents: exported)), writer: &writer, to: sink)
        try await writeFile("fhir-bundle.json", try encoder.encode(FHIRDocumentBundle(self, documents: exported)), writer: &writer, to: sink)
        try await sink(ByteBuffer(bytes: try writer.finish()))
    }

    /// Streams one document's entry (local header, the object's bytes, data descriptor), then an entry for each of
    /// its stored variants (``DocumentVariant``: previews, a video's poster and phone rendition) under
    /// `variants/{id}/`, so the archive carries what medvault made of the document too.
    private func write(
        _ record: DocumentRecord,
        from store: any ObjectStore,
        writer: inout ZipWriter,
        logger: Logger,
        to sink: (ByteBuffer) async throws -> Void
    ) async throws -> ExportedDocument {
        let id = record.id.lowercaseText
        let path = Self.path(of: record)
        let digests = try await writeObject(
            key: record.key,
            size: record.size,
            as: path,
            modified: record.uploadedAt,
            of: id,
            from: store,
            writer: &writer,
            logger: logger,
            to: sink
        )
        let (sha1, sha256) = digests.finalize()
        guard sha256 == record.sha256 else { throw ExportError.integrity(id) }
        var variants: [ExportedVariant] = []
        for variant in DocumentVariant.allCases {
            let key = DerivedKey(documentID: record.id, variant: variant).rawValue
            let info: ObjectInfo?
            do {
                info = try await store.headIfPresent(key: key, logger: logger)
            } catch {
                throw ExportError.unreadable(id, error)
            }
            guard let info else { continue }
            let contentType = info.contentType ?? "application/octet-stream"
            let suffix = AllowedType(mimeType: contentType)?.extensions.first.map { ".\($0)" } ?? ""
            let variantPath = "variants/\(id)/\(variant.rawValue)\(suffix)"
            let variantDigests = try await writeObject(
                key: key,
                size: info.size,
                as: variantPath,
                modified: record.uploadedAt,
                of: id,
                from: store,
                writer: &writer,
                logger: logger,
                to: sink
            )
            variants.append(
                ExportedVariant(
                    variant: variant.rawValue,
                    path: variantPath,
                    contentType: contentType,
                    size: info.size,
                    sha256: variantDigests.finalize().sha256Hex
                )
            )
        }
        return ExportedDocument(record: record, path: path, sha1Base64: sha1, variants: variants)
    }

    /// Streams the object at `key` as the entry `name`, its digests computed on the way; the store's size must be the
    /// streamed one, or the entry ends with ``ExportError/integrity(_:_:)``.
    private func writeObject(
        key: String,
        size: Int64,
        as name: String,
        modified date: Date,
        of id: String,
        from store: any ObjectStore,
        writer: inout ZipWriter,
        logger: Logger,
        to sink: (ByteBuffer) async throws -> Void
    ) async throws -> ExportDigests {
        let stream: ObjectStream
        do {
            stream = try await store.read(key: key, range: nil, logger: logger)
        } catch {
            throw ExportError.unreadable(id, error)
        }
        let modified = DOSDateTime(epochSeconds: Int(date.timeIntervalSince1970))
        try await sink(ByteBuffer(bytes: try writer.beginEntry(name: name, size: UInt64(size), modified: modified)))
        var digests = ExportDigests()
        do {
            for try await buffer in stream.body {
                digests.update(buffer)
                try await sink(buffer)
            }
        } catch let error as StorageError {
            throw ExportError.unreadable(id, error)
        }
        let descriptor: [UInt8]
        do {
            descriptor = try writer.endEntry(size: digests.count, crc32: digests.crc32)
        } catch {
            throw ExportError.integrity(id, error)
        }
        try await sink(ByteBuffer(bytes: descriptor))
        return digests
    }

    /// Writes a file made in memory (the manifest, the bundle) as one entry.
    private func writeFile(_ name: String, _ data: Data, writer: inout ZipWriter, to sink: (ByteBuffer) async throws -> Void) async throws {
        let modified = DOSDateTime(epochSeconds: Int(exportedAt.timeIntervalSince1970))
        var bytes = try writer.beginEntry(name: name, size: UInt64(data.count), modified: modified)
        bytes += data
        bytes += try writer.endEntry(size: UInt64(data.count), crc32: CRC32.checksum(data))
        try await sink(ByteBuffer(bytes: bytes))
    }
}
