import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, typed-throwing wrappers over the POSIX calls the local store needs.
///
/// Why POSIX and not NIOFileSystem: the store needs exactly `open(O_EXCL|O_NOFOLLOW)`, `pread`, `pwrite`,
/// `fsync` of files and directories, `rename` and `fchmod`, with control over `errno` (to tell a missing
/// object from a denied one); these are a few lines each, and `_NIOFileSystem` is an underscored product
/// the target does not depend on. All calls are blocking: callers run them through ``BlockingIO``.
enum POSIXFileSystem {
    /// What a directory entry is; anything else (symlinks, sockets, devices) is ignored by the store.
    enum EntryKind {
        case file
        case directory
        case other
    }

    /// `open(2)`, retried on `EINTR`; `O_CLOEXEC` is always added.
    static func openFile(_ path: String, flags: Int32, mode: mode_t = 0) throws(StorageError) -> Int32 {
        while true {
            let descriptor = open(path, flags | O_CLOEXEC, mode)
            if descriptor >= 0 { return descriptor }
            if errno != EINTR { throw .systemCall("open", errno: errno) }
        }
    }

    /// `close(2)`; errors are ignored because there is nothing left to do about them (data was fsynced).
    static func closeFile(_ descriptor: Int32) {
        _ = close(descriptor)
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    static func readBytes(_ descriptor: Int32, count: Int, offset: Int64) throws(StorageError) -> [UInt8] {
        var failure: Int32 = 0
        // Uninitialised: zeroing a buffer that `pread` is about to fill cost 2% of a large download's CPU time.
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var total = 0
            while total < count {
                let result = pread(descriptor, buffer.baseAddress.map { $0 + total }, count - total, off_t(offset) + off_t(total))
                if result > 0 {
                    total += result
                } else if result == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
            initialized = total
        }
        if failure != 0 { throw .systemCall("pread", errno: failure) }
        return bytes
    }

    /// Writes all of `bytes` at `offset`, looping over short writes.
    static func writeBytes(_ descriptor: Int32, _ bytes: [UInt8], offset: Int64) throws(StorageError) {
        var total = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while total < buffer.count {
                let result = pwrite(descriptor, buffer.baseAddress.map { $0 + total }, buffer.count - total, off_t(offset) + off_t(total))
                if result >= 0 {
                    total += result
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw .systemCall("pwrite", errno: failure) }
    }

    /// Asks the kernel to start writing a range of the file to disk now and returns without waiting, so that
    /// the `fsync` at the end of an upload finds most of the file already on disk instead of writing it all
    /// while the client waits. `posix_fadvise(2)` with `POSIX_FADV_DONTNEED`: Linux starts asynchronous
    /// writeback of the range's dirty pages (and drops only pages already clean, which written-once objects
    /// need not keep; `sync_file_range` would be the direct call, but Glibc's module map hides it).
    /// Only a hint: nothing is promised until ``syncFile(_:)``, which also reports any write error, so a
    /// failure here is ignored.
    static func startWriteback(_ descriptor: Int32, offset: Int64, count: Int) {
        #if os(Linux)
        _ = posix_fadvise(descriptor, off_t(offset), off_t(count), POSIX_FADV_DONTNEED)
        #endif
    }

    /// `fsync(2)`: the file's data and metadata reach the disk before a rename publishes it.
    static func syncFile(_ descriptor: Int32) throws(StorageError) {
        if fsync(descriptor) != 0 { throw .systemCall("fsync", errno: errno) }
    }

    /// fsyncs a directory so that an entry created, renamed or removed in it survives a crash.
    static func syncDirectory(_ path: String) throws(StorageError) {
        let descriptor = try openFile(path, flags: O_RDONLY | O_DIRECTORY)
        defer { closeFile(descriptor) }
        try syncFile(descriptor)
    }

    /// `fstat(2)`.
    static func fileStatus(_ descriptor: Int32) throws(StorageError) -> stat {
        var info = stat()
        if fstat(descriptor, &info) != 0 { throw .systemCall("fstat", errno: errno) }
        return info
    }

    /// `lstat(2)` (symlinks are not followed); nil when nothing exists at `path`.
    static func linkStatus(_ path: String) throws(StorageError) -> stat? {
        var info = stat()
        if lstat(path, &info) == 0 { return info }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw .systemCall("lstat", errno: errno)
    }

    /// `rename(2)`: atomically replaces whatever is at `to`.
    static func renameItem(_ from: String, to: String) throws(StorageError) {
        if rename(from, to) != 0 { throw .systemCall("rename", errno: errno) }
    }

    /// `unlink(2)`; returns false when there was nothing to remove.
    @discardableResult
    static func removeFile(_ path: String) throws(StorageError) -> Bool {
        if unlink(path) == 0 { return true }
        if errno == ENOENT || errno == ENOTDIR { return false }
        throw .systemCall("unlink", errno: errno)
    }

    /// `rmdir(2)`; returns false when the directory is not empty or already gone.
    @discardableResult
    static func removeDirectory(_ path: String) throws(StorageError) -> Bool {
        if rmdir(path) == 0 { return true }
        if errno == ENOTEMPTY || errno == EEXIST || errno == ENOENT { return false }
        throw .systemCall("rmdir", errno: errno)
    }

    /// `mkdir(2)` with mode 0700; returns false when the directory already existed.
    @discardableResult
    static func makeDirectory(_ path: String) throws(StorageError) -> Bool {
        if mkdir(path, 0o700) == 0 { return true }
        if errno == EEXIST { return false }
        throw .systemCall("mkdir", errno: errno)
    }

    /// `mkdir -p`, mode 0700 for the directories it creates.
    static func makeDirectoryTree(_ path: String) throws(StorageError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            try makeDirectory(current)
        }
    }

    /// Creates `base/components…` one level at a time (`base` must exist) and fsyncs the parent of each
    /// directory it created, so the new entries are durable before an object is renamed into them.
    static func makeDirectories(under base: String, _ components: some Sequence<Substring>) throws(StorageError) {
        var path = base
        for component in components {
            let parent = path
            path += "/" + component
            if try makeDirectory(path) {
                try syncDirectory(parent)
            }
        }
    }

    /// The names in a directory (without `.` and `..`) and what each is; symlinks are reported as `other`.
    /// Names that are not valid UTF-8 cannot be object keys and are skipped. Nil when the directory is missing.
    static func entries(of path: String) throws(StorageError) -> [(name: String, kind: EntryKind)]? {
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw .systemCall("opendir", errno: errno)
        }
        defer { closedir(directory) }
        var result: [(name: String, kind: EntryKind)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(validatingCString: $0) }
            }
            guard let name, name != ".", name != ".." else { continue }
            result.append((name, try kind(of: entry.pointee.d_type, path: path + "/" + name)))
        }
        return result
    }

    /// The kind from `d_type`, falling back to `lstat` on file systems that report `DT_UNKNOWN`.
    private static func kind(of type: UInt8, path: String) throws(StorageError) -> EntryKind {
        switch Int32(type) {
        case Int32(DT_REG): return .file
        case Int32(DT_DIR): return .directory
        case Int32(DT_UNKNOWN):
            guard let info = try linkStatus(path) else { return .other }
            return kind(ofMode: info.st_mode)
        default: return .other
        }
    }

    /// The kind from a `stat` mode.
    static func kind(ofMode mode: mode_t) -> EntryKind {
        switch mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// The modification time of a `stat` result.
    static func modificationDate(_ info: stat) -> Date {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000)
    }
}
