import Foundation
import Logging
import NIOCore
import ObjectStorage

/// The temporary files of one video job: a private directory (0700, files 0600) under the data directory's
/// `tmp/video/`, holding the decrypted video and what ffmpeg makes of it, removed when the job ends.
///
/// Bytes are streamed both ways, object to file and file to object, a chunk at a time, so memory stays flat for a
/// 500 MiB video; only the disk holds it whole, for as long as ffmpeg needs it.
struct VideoScratch {
    /// The job's directory.
    let directory: URL

    /// Creates a fresh directory under `root` (created as well when missing).
    init(root: URL) throws(VideoError) {
        directory = root.appendingPathComponent(UUID().uuidString.lowercased(), isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .scratch
        }
    }

    /// A file of the job, by a name medvault chooses (never a user's).
    func file(_ name: String) -> URL {
        directory.appendingPathComponent(name)
    }

    /// Writes the object at `key` into `file`, streaming; returns the file.
    func download(key: String, from store: any ObjectStore, to file: URL, logger: Logger) async throws -> URL {
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = try? FileHandle(forWritingTo: file)
        else { throw VideoError.scratch }
        defer { try? handle.close() }
        for try await chunk in try await store.read(key: key, range: nil, logger: logger).body {
            try handle.write(contentsOf: chunk.readableBytesView)
        }
        return file
    }

    /// Stores `file` at `key` with `contentType`, streaming; the object appears whole or not at all.
    func upload(_ file: URL, to key: String, contentType: String, store: any ObjectStore, logger: Logger) async throws {
        let writer = try await store.makeWriter(key: key, contentType: contentType, logger: logger)
        do {
            for try await chunk in try LocalFileChunks(path: file.path) {
                try await writer.write(chunk)
            }
            _ = try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// Whether ffmpeg wrote something to `file`.
    func produced(_ file: URL) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? NSNumber)?.intValue ?? 0 > 0
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
