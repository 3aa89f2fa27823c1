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

    /// Streams one document's entry: local header, the object's bytes, data descriptor.
    private func write(
        _ record: DocumentRecord,
        from store: any ObjectStore,
        writer: inout ZipWriter,
        logger: Logger,
        to sink: (ByteBuffer) async throws -> Void
    ) async throws -> ExportedDocument {
        let id = record.id.lowercaseText
        let path = Self.path(of: record)
        let stream: ObjectStream
        do {
            stream = try await store.read(key: record.key, range: nil, logger: logger)
        } catch {
            throw ExportError.unreadable(id, error)
        }
        let modified = DOSDateTime(epochSeconds: Int(record.uploadedAt.timeIntervalSince1970))
        try await sink(ByteBuffer(bytes: try writer.beginEntry(name: path, size: UInt64(record.size), modified: modified)))
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
        let (sha1, sha256) = digests.finalize()
        guard sha256 == record.sha256 else { throw ExportError.integrity(id) }
        try await sink(ByteBuffer(bytes: descriptor))
        return ExportedDocument(record: record, path: path, sha1Base64: sha1)
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
