import Crypto
import Foundation
import Logging
import NIOCore
import Testing

@testable import ObjectStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parent of every suite in this target. Serialized because the memory test reads the process's
/// resident set size, which tests running beside it would disturb.
@Suite(.serialized)
struct ObjectStorageTests {}

/// A fresh data directory per test, removed afterwards.
func withDataDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// A fixed master key, so tests are reproducible.
let testMasterKey = SymmetricKey(data: [UInt8](repeating: 0x42, count: 32))

/// A silent logger.
let testLogger = Logger(label: "ObjectStorageTests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Deterministic pseudo-random bytes (xorshift), different for different seeds.
func patternBytes(count: Int, seed: UInt64 = 1) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        var index = 0
        while index < count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            withUnsafeBytes(of: state) { word in
                let n = min(8, count - index)
                buffer.baseAddress?.advanced(by: index).copyMemory(from: word.baseAddress!, byteCount: n)
            }
            index += 8
        }
    }
    return bytes
}

extension LocalObjectStore {
    /// Uploads `bytes` in pieces of `pieceSize` (deliberately not a multiple of the chunk size).
    @discardableResult
    func put(_ bytes: [UInt8], key: String, contentType: String = "application/pdf", pieceSize: Int = 10_007) async throws -> ObjectInfo {
        let writer = try await makeWriter(key: key, contentType: contentType, logger: testLogger)
        var start = 0
        while start < bytes.count {
            let end = min(start + pieceSize, bytes.count)
            try await writer.write(ByteBuffer(bytes: bytes[start..<end]))
            start = end
        }
        return try await writer.finish().info
    }

    /// Reads the object (or a range of it) back into memory; also checks every buffer is at most one batch of chunks.
    func get(_ key: String, range: ClosedRange<Int64>? = nil) async throws -> [UInt8] {
        let stream = try await read(key: key, range: range, logger: testLogger)
        var bytes: [UInt8] = []
        for try await buffer in stream.body {
            #expect(buffer.readableBytes <= EncryptedObjectFormat.chunkSize * LocalObjectStore.chunksPerIO)
            bytes += buffer.readableBytesView
        }
        return bytes
    }

    /// The path of the object file, for tests that look at or damage the bytes on disk.
    func filePath(_ key: String) throws -> String {
        try layout.objectPath(forKey: key)
    }
}

/// The `StorageError` code an async operation fails with, or nil when it succeeds.
func storageErrorCode(_ body: () async throws -> Void) async -> String? {
    do {
        try await body()
        return nil
    } catch let error as StorageError {
        return error.code
    } catch {
        return "unexpected: \(error)"
    }
}

/// Raw file helpers for tampering tests.
enum RawFile {
    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & 0o777
    }
}

/// Lists every file under a directory, relative to it, sorted.
func filesUnder(_ url: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { return [] }
    var files: [String] = []
    while let path = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files.append(path)
        }
    }
    return files.sorted()
}
