import Foundation
import Logging
import NIOCore
import ObjectStorage

extension EntityExport {
    /// Writes the archive to `destination` (`medvault export --out`): into a new file beside it, readable by its owner
    /// only (it holds health data), flushed to disk, then renamed over `destination`; so `destination` is either the
    /// whole archive or untouched, never a part of one. Returns the archive's size in bytes. On any failure the
    /// partial file is removed and the error rethrown.
    package func write(from store: any ObjectStore, toFileAt destination: URL, logger: Logger) async throws -> UInt64 {
        let directory = destination.deletingLastPathComponent()
        let partial = directory.appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString.lowercased()).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial.path])
        }
        do {
            let handle = try FileHandle(forWritingTo: partial)
            var written: UInt64 = 0
            do {
                try await write(from: store, logger: logger) { buffer in
                    try buffer.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
                    written += UInt64(buffer.readableBytes)
                }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard rename(partial.path, destination.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
            }
            return written
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}
