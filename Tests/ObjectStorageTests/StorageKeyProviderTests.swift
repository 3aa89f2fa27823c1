import Crypto
import Foundation
import Testing

@testable import ObjectStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ObjectStorageTests {
    @Suite("Master key from configuration or a 0600 key file")
    struct StorageKeyProviderTests {
        func keyBytes(_ key: SymmetricKey) -> [UInt8] {
            key.withUnsafeBytes { Array($0) }
        }

        @Test("a configured base64 key of 32 bytes is used and no key file is created")
        func configuredKey() throws {
            let bytes = [UInt8](repeating: 9, count: 32)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("storage-key-\(UUID().uuidString)")
            let key = try StorageKeyProvider.masterKey(configured: Data(bytes).base64EncodedString(), dataDirectory: directory)
            #expect(keyBytes(key) == bytes)
            #expect(!FileManager.default.fileExists(atPath: directory.path))
        }

        @Test(
            "a configured key that is not base64 of 32 bytes is refused",
            arguments: ["not base64!", Data(count: 16).base64EncodedString(), Data(count: 33).base64EncodedString()]
        )
        func invalidConfiguredKey(value: String) {
            #expect(throws: StorageKeyError.self) {
                try StorageKeyProvider.key(fromBase64: value, variable: "MEDVAULT_STORAGE_KEY")
            }
            do {
                _ = try StorageKeyProvider.key(fromBase64: value, variable: "MEDVAULT_STORAGE_KEY")
            } catch {
                #expect(error.code == "storage_key_invalid")
                #expect(!error.message.contains(value))
            }
        }

        @Test("the key file is created with mode 0600 (and its directory 0700), then reused")
        func keyFileCreatedAndReused() async throws {
            try await withDataDirectory { parent in
                let directory = parent.appendingPathComponent("data/nested")
                let previous = umask(0o022)
                defer { umask(previous) }
                let first = try StorageKeyProvider.masterKey(configured: "", dataDirectory: directory)
                let path = directory.appendingPathComponent("storage.key").path
                #expect(RawFile.mode(path) == 0o600)
                #expect(RawFile.mode(directory.path) == 0o700)
                let contents = try RawFile.read(path)
                #expect(contents.count == 45)
                #expect(contents.last == UInt8(ascii: "\n"))
                let second = try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                #expect(keyBytes(first) == keyBytes(second))
                // And the file's key can be moved into configuration verbatim.
                let configured = try StorageKeyProvider.key(fromBase64: String(decoding: contents, as: UTF8.self), variable: "MEDVAULT_STORAGE_KEY")
                #expect(keyBytes(configured) == keyBytes(first))
            }
        }

        @Test("a key file readable by group or others is refused, not repaired", arguments: [0o644, 0o640, 0o604, 0o660] as [mode_t])
        func widePermissions(mode: mode_t) async throws {
            try await withDataDirectory { directory in
                _ = try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                let path = directory.appendingPathComponent("storage.key").path
                #expect(chmod(path, mode) == 0)
                do {
                    _ = try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                    Issue.record("a key file with mode \(String(mode, radix: 8)) was accepted")
                } catch let error as StorageKeyError {
                    #expect(error.code == "storage_key_permissions")
                }
                #expect(RawFile.mode(path) == mode)
            }
        }

        @Test("a stricter mode (0400) is accepted")
        func readOnlyKeyFile() async throws {
            try await withDataDirectory { directory in
                let first = try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                #expect(chmod(directory.appendingPathComponent("storage.key").path, 0o400) == 0)
                let second = try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                #expect(keyBytes(first) == keyBytes(second))
            }
        }

        @Test("a key file of the wrong length is refused, not regenerated", arguments: [0, 10, 44 + 2, 64])
        func wrongLength(length: Int) async throws {
            try await withDataDirectory { directory in
                let path = directory.appendingPathComponent("storage.key").path
                let bytes = Array(Data(repeating: 1, count: 48).base64EncodedString().utf8.prefix(length))
                #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
                do {
                    _ = try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                    Issue.record("a \(length)-byte key file was accepted")
                } catch let error as StorageKeyError {
                    #expect(error.code == "storage_key_file_invalid")
                }
                #expect(try RawFile.read(path) == bytes)
            }
        }

        @Test("a symlinked key file is refused")
        func symlink() async throws {
            try await withDataDirectory { directory in
                let real = directory.appendingPathComponent("real.key")
                _ = try StorageKeyProvider.loadOrCreateKeyFile(at: real)
                try FileManager.default.createSymbolicLink(
                    atPath: directory.appendingPathComponent("storage.key").path,
                    withDestinationPath: real.path
                )
                #expect(throws: StorageKeyError.self) {
                    try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                }
            }
        }

        @Test("objects written with the key file's key read back after a restart")
        func restart() async throws {
            try await withDataDirectory { directory in
                let before = LocalObjectStore(
                    dataDirectory: directory,
                    masterKey: try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                )
                try await before.put(Array("hello".utf8), key: "a/b")
                let after = LocalObjectStore(
                    dataDirectory: directory,
                    masterKey: try StorageKeyProvider.masterKey(configured: nil, dataDirectory: directory)
                )
                #expect(try await after.get("a/b") == Array("hello".utf8))
            }
        }
    }
}
