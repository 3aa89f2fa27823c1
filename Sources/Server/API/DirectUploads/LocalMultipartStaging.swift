import Foundation
import Logging
import NIOCore
import ObjectStorage

/// Multipart direct uploads on the local store: each part is an object of its own under
/// `quarantine/parts/{uploadId}/`, encrypted like every object, and completion streams them in order into the
/// staged object (one part in memory at a time, in the store's chunks), then removes them.
///
/// The upload id is the staging key's last segment (the session's id), so nothing needs to be remembered.
struct LocalMultipartStaging: MultipartStaging {
    let store: any ObjectStore

    static func partsPrefix(uploadID: String) -> String { "quarantine/parts/\(uploadID)/" }

    /// Where part `number` is kept; zero-padded so that the listing's order is the parts' order.
    static func partKey(uploadID: String, number: Int) -> String {
        partsPrefix(uploadID: uploadID) + String(format: "%05d", number)
    }

    func startMultipartUpload(key: String, contentType: String, logger: Logger) async throws(StorageError) -> String {
        guard let id = key.split(separator: "/").last, !id.isEmpty else { throw .failure("The staging key has no name.") }
        return String(id)
    }

    func uploadedParts(key: String, uploadID: String, logger: Logger) async throws(StorageError) -> [UploadedPart] {
        let prefix = Self.partsPrefix(uploadID: uploadID)
        let listing = try await store.list(prefix: prefix, continuationToken: nil, maxKeys: 1000, logger: logger)
        return listing.objects.compactMap { info in
            Int(info.key.dropFirst(prefix.count)).map { UploadedPart(number: $0, etag: info.etag, size: info.size) }
        }
    }

    func completeMultipartUpload(key: String, uploadID: String, parts: [UploadedPart], logger: Logger) async throws(StorageError) {
        let writer = try await store.makeWriter(key: key, contentType: "application/octet-stream", logger: logger)
        do throws(StorageError) {
            for part in parts {
                let stream = try await store.read(key: Self.partKey(uploadID: uploadID, number: part.number), range: nil, logger: logger)
                guard stream.info.etag == part.etag else { throw .failure("A part changed while the upload was assembled.") }
                do {
                    for try await chunk in stream.body { try await writer.write(chunk) }
                } catch let error as StorageError {
                    throw error
                } catch {
                    throw .failure("A part could not be read.", underlying: error)
                }
            }
            _ = try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
        try await abortMultipartUpload(key: key, uploadID: uploadID, logger: logger)
    }

    func abortMultipartUpload(key: String, uploadID: String, logger: Logger) async throws(StorageError) {
        for part in try await uploadedParts(key: key, uploadID: uploadID, logger: logger) {
            try await store.delete(key: Self.partKey(uploadID: uploadID, number: part.number), logger: logger)
        }
    }
}
