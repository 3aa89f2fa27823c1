import Crypto
import Foundation
import Logging
import NIOCore
import ObjectStorage

extension SelfCheck {
    /// The size of the large object: 12 MiB, more than the S3 store's 8 MiB part, so S3 gets a multipart upload.
    static let largeFileSize = 12 * 1024 * 1024

    /// (8) Streams a 12 MiB object of random bytes into the store, reads it back comparing SHA-256 digests, records
    /// its encryption for check 9, and deletes it. Memory stays at one 1 MiB piece.
    func checkLargeFile(_ store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> String {
        let key = run.key("large.bin")
        run.writtenKeys.insert(key)
        let written = try await attempt("Writing 12 MiB") { try await writeLargeObject(key: key, into: store, logger: logger) }
        let read = try await attempt("Reading 12 MiB back") { try await digest(of: key, in: store, logger: logger) }
        let head = try await attempt("Reading the large object's metadata") { try await store.head(key: key, logger: logger) }
        run.largeFileEncryption = head.serverSideEncryption
        try await attempt("Deleting the large object") { try await store.delete(key: key, logger: logger) }
        run.writtenKeys.remove(key)
        guard read.size == Self.largeFileSize, read.digest == written.digest else {
            throw SelfCheckFailure(
                "Read back \(read.size) bytes with SHA-256 \(Self.hex(read.digest)); wrote \(Self.largeFileSize) with \(Self.hex(written.digest))."
            )
        }
        let parts = Self.multipartPartCount(etag: written.info.etag)
        let how = parts.map { " as a \($0)-part multipart upload" } ?? ""
        return "Wrote 12 MiB\(how), read it back with the same SHA-256 (\(Self.hex(read.digest).prefix(16))…), deleted it."
    }

    /// Writes ``largeFileSize`` random bytes in 1 MiB pieces, hashing them on the way.
    private func writeLargeObject(key: String, into store: any ObjectStore, logger: Logger) async throws -> (info: ObjectInfo, digest: SHA256.Digest)
    {
        let writer = try await store.makeWriter(key: key, contentType: "application/octet-stream", logger: logger)
        var hash = SHA256()
        var generator = SystemRandomNumberGenerator()
        do {
            for _ in 0..<(Self.largeFileSize / (1024 * 1024)) {
                var piece = [UInt8](repeating: 0, count: 1024 * 1024)
                piece.withUnsafeMutableBytes { raw in
                    for offset in stride(from: 0, to: raw.count, by: 8) {
                        raw.storeBytes(of: generator.next(), toByteOffset: offset, as: UInt64.self)
                    }
                }
                hash.update(data: piece)
                try await writer.write(ByteBuffer(bytes: piece))
            }
            return (try await writer.finish().info, hash.finalize())
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// The object's length and SHA-256, streamed.
    private func digest(of key: String, in store: any ObjectStore, logger: Logger) async throws -> (size: Int, digest: SHA256.Digest) {
        let stream = try await store.read(key: key, range: nil, logger: logger)
        var hash = SHA256()
        var size = 0
        for try await buffer in stream.body {
            buffer.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
            size += buffer.readableBytes
        }
        return (size, hash.finalize())
    }

    /// The part count S3 puts in a multipart object's ETag (`"…-2"`); nil for a single upload or another backend.
    static func multipartPartCount(etag: String) -> Int? {
        let trimmed = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let dash = trimmed.lastIndex(of: "-") else { return nil }
        return Int(trimmed[trimmed.index(after: dash)...])
    }
}
