import Foundation
import NIOCore

/// A local file's bytes as a stream of buffers, read one chunk at a time (memory stays flat whatever the size).
/// The file is opened read-only.
struct LocalFileChunks: AsyncSequence, Sendable {
    static let chunkSize = 256 * 1024

    let path: String

    /// Checks that `path` names a regular file that can be opened: ``ImportRefusal/sourceNotFound`` when nothing is
    /// there, ``ImportRefusal/sourceUnreadable`` for a directory or a file that cannot be opened.
    init(path: String) throws(ImportRefusal) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .sourceNotFound }
        guard !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path) else { throw .sourceUnreadable }
        self.path = path
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(handle: FileHandle(forReadingAtPath: path))
    }

    struct Iterator: AsyncIteratorProtocol {
        let handle: FileHandle?

        mutating func next() async throws -> ByteBuffer? {
            guard let handle else { throw ImportRefusal.sourceUnreadable }
            let data: Data
            do {
                data = try handle.read(upToCount: LocalFileChunks.chunkSize) ?? Data()
            } catch {
                throw ImportRefusal.sourceUnreadable
            }
            if data.isEmpty {
                try? handle.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }
}
