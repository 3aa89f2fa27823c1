import ContentValidation
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage

/// Writes a verified direct upload's image to its document key through its ``MetadataStripper``, instead of moving the
/// staged object as it was sent: an image that arrives by the direct-upload protocol loses its GPS position, serials
/// and owner names as one sent to `upload` does.
///
/// The staged object is read once more, streaming (each chunk stripped and written as it comes, so memory stays as flat
/// as the stripper keeps it: a WebP is held whole, within the image limit the verifier enforced). The stored bytes are
/// those the verifier accepted minus their metadata (a HEIC's blanked), so they are not scanned again. The caller
/// removes the staged object once this returns; on a failure the partial object is abandoned and the staged one left
/// for a retried completion.
struct StrippedStagedImage {
    /// The stored object: what the document's row records (its size and SHA-256 are the stored bytes').
    struct Stored {
        let info: ObjectInfo
        let size: Int64
        /// Lowercase hex SHA-256 of the stored bytes.
        let sha256: String
        /// Whether the stored bytes leave out metadata the staged ones carried, which the audit row records.
        let removedMetadata: Bool
    }

    let store: any ObjectStore
    let logger: Logger

    /// Streams the object at `stagingKey` through `stripper` into a new object at `documentKey`.
    /// - Throws: `UploadRejection` `invalid_image` when the image is broken (the verifier's own stripper pass refuses
    ///   that first), or `StorageError`.
    func write(
        from stagingKey: String,
        to documentKey: String,
        type: AllowedType,
        stripper: any MetadataStripper
    ) async throws -> Stored {
        var stripper = stripper
        let writer = try await store.makeWriter(key: documentKey, contentType: type.mimeType, logger: logger)
        do {
            var size: Int64 = 0
            for try await chunk in try await store.read(key: stagingKey, range: nil, logger: logger).body {
                let stored = try chunk.withUnsafeReadableBytes { try stripper.consume($0) }
                guard !stored.isEmpty else { continue }
                size += Int64(stored.count)
                try await writer.write(ByteBuffer(bytes: stored))
            }
            try stripper.finish()
            let written = try await writer.finish()
            let digest = written.sha256.map { String(format: "%02x", $0) }.joined()
            return Stored(info: written.info, size: size, sha256: digest, removedMetadata: stripper.removedMetadata)
        } catch {
            await writer.abort()
            throw error
        }
    }
}
