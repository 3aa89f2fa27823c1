import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage

extension SelfCheck {
    /// The largest object the self-check reads into memory in one piece (the sample and round-trip objects).
    static let smallObjectLimit = 64 * 1024

    /// Writes `bytes` under `key` in pieces of at most `pieceSize`, aborting the upload on failure.
    func put(
        _ bytes: [UInt8],
        key: String,
        contentType: String,
        into store: any ObjectStore,
        run: SelfCheckRun,
        logger: Logger
    ) async throws(StorageError) -> ObjectInfo {
        run.writtenKeys.insert(key)
        let writer = try await store.makeWriter(key: key, contentType: contentType, logger: logger)
        do throws(StorageError) {
            var offset = 0
            repeat {
                let end = min(offset + 256 * 1024, bytes.count)
                try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
            } while offset < bytes.count
            return try await writer.finish().info
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// The whole object at `key`, at most ``smallObjectLimit`` bytes.
    func readAll(_ key: String, from store: any ObjectStore, logger: Logger) async throws -> [UInt8] {
        let stream = try await store.read(key: key, range: nil, logger: logger)
        var bytes: [UInt8] = []
        for try await buffer in stream.body {
            bytes += buffer.readableBytesView
            guard bytes.count <= Self.smallObjectLimit else { throw SelfCheckFailure("The object is larger than it was written.") }
        }
        return bytes
    }

    /// The sample object of this run (written on first use): about 1 KiB of text that the pre-signed URL,
    /// listing and encryption checks share, and cleanup removes.
    func sample(in store: any ObjectStore, run: SelfCheckRun, logger: Logger) async throws(SelfCheckFailure) -> SelfCheckRun.Sample {
        if let sample = run.sample { return sample }
        let line = "medvault self-check \(run.id.lowercaseText) sample object\n"
        let sample = SelfCheckRun.Sample(
            key: run.key("sample.txt"),
            bytes: Array(String(repeating: line, count: 1024 / line.utf8.count + 1).utf8),
            contentType: "text/plain"
        )
        _ = try await attempt("Writing the sample object") {
            try await put(sample.bytes, key: sample.key, contentType: sample.contentType, into: store, run: run, logger: logger)
        }
        run.sample = sample
        return sample
    }

    /// A SHA-256 digest as lowercase hex, for details.
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
