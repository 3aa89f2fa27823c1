import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LocalObjectStore {
    /// Unlinks the object and removes the directories it leaves empty, up to (not including) `objects/`.
    package func delete(key: String, logger: Logger) async throws(StorageError) {
        let path = try layout.objectPath(forKey: key)
        let parents = try layout.parentSegments(ofKey: key)
        let layout = layout
        try await BlockingIO.run { () throws(StorageError) in
            // Only object files: a key that names a directory (a key prefix) or nothing at all is "already gone".
            guard let status = try POSIXFileSystem.linkStatus(path), POSIXFileSystem.kind(ofMode: status.st_mode) == .file,
                try POSIXFileSystem.removeFile(path)
            else { return }
            try Self.pruneEmptyDirectories(parents, layout: layout)
        }
        logger.debug("deleted object", metadata: ["key": "\(key)"])
    }

    /// The object only: an upload in flight lives in an anonymous temporary file under `tmp/`, which start-up removes
    /// once it is an hour old (``removeStaleTemporaryFiles(olderThan:now:)``).
    package func removeAbandonedUpload(key: String, logger: Logger) async throws(StorageError) {
        try await delete(key: key, logger: logger)
    }

    /// Renames the object to `to` (creating its directories); atomic, and the bytes are not re-encrypted
    /// because the format does not bind an object to its key. Replaces an existing object at `to`.
    package func move(from: String, to: String, logger: Logger) async throws(StorageError) {
        let source = try layout.objectPath(forKey: from)
        let sourceParents = try layout.parentSegments(ofKey: from)
        let destination = try layout.objectPath(forKey: to)
        let destinationParents = try layout.parentSegments(ofKey: to)
        let layout = layout
        try await BlockingIO.run { () throws(StorageError) in
            guard let status = try POSIXFileSystem.linkStatus(source), POSIXFileSystem.kind(ofMode: status.st_mode) == .file else {
                throw .notFound()
            }
            var attempt = 0
            while true {
                attempt += 1
                try POSIXFileSystem.makeDirectories(under: layout.objectsDirectory, destinationParents)
                do throws(StorageError) {
                    try POSIXFileSystem.renameItem(source, to: destination)
                    break
                } catch {
                    guard error.systemErrno == ENOENT, attempt < 5 else { throw error }
                    // Either the source vanished (a concurrent move or delete) or a concurrent delete pruned
                    // the destination's directory between mkdir and rename.
                    guard try POSIXFileSystem.linkStatus(source) != nil else { throw .notFound() }
                }
            }
            try POSIXFileSystem.syncDirectory(layout.directoryPath(destinationParents))
            try Self.pruneEmptyDirectories(sourceParents, layout: layout)
        }
        logger.debug("moved object", metadata: ["from": "\(from)", "to": "\(to)"])
    }

    /// Removes temporary upload files older than `age` seconds at `now`: the orphans of crashed or
    /// abandoned uploads. Uploads in progress touch their file with every 64 KiB chunk, so they are never
    /// that old. Returns how many files were removed.
    ///
    /// Synchronous (blocking) because it is meant for start-up, before the server accepts requests, or for a
    /// periodic background job; it only touches `<data>/tmp`.
    @discardableResult
    package func removeStaleTemporaryFiles(olderThan age: TimeInterval = 3600, now: Date) throws(StorageError) -> Int {
        let directory = layout.temporaryDirectory
        var removed = 0
        for entry in try POSIXFileSystem.entries(of: directory) ?? [] where entry.kind == .file {
            let path = directory + "/" + entry.name
            guard let status = try POSIXFileSystem.linkStatus(path) else { continue }
            if now.timeIntervalSince(POSIXFileSystem.modificationDate(status)) > age, try POSIXFileSystem.removeFile(path) {
                removed += 1
            }
        }
        return removed
    }

    /// Removes now-empty directories from the deepest of `parents` upwards, stopping at the first one that
    /// still holds something; fsyncs the directory that lost an entry last.
    static func pruneEmptyDirectories(_ parents: ArraySlice<Substring>, layout: LocalStoreLayout) throws(StorageError) {
        var remaining = parents
        while !remaining.isEmpty, try POSIXFileSystem.removeDirectory(layout.directoryPath(remaining)) {
            remaining.removeLast()
        }
        if try POSIXFileSystem.linkStatus(layout.directoryPath(remaining)) != nil {
            try POSIXFileSystem.syncDirectory(layout.directoryPath(remaining))
        }
    }
}
