import Crypto
import Foundation
import NIOCore
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("Object format versions: version 2 is written, version 1 still reads")
    struct FormatVersionTests {
        static let key = "patients/p1/lab-results/versioned.pdf"
        static let etagKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: testMasterKey, info: Array("medvault/v1/etag".utf8), outputByteCount: 32)

        /// The quoted ETag of a content MAC, spelled out as the format's doc comment defines it.
        static func etag(_ mac: some Sequence<UInt8>) -> String {
            "\"" + mac.prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
        }

        /// Puts `file` where the store keeps `key`, as an older medvault would have left it.
        static func place(_ file: [UInt8], key: String, in store: LocalObjectStore) throws {
            let path = try store.filePath(key)
            try FileManager.default.createDirectory(
                at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try RawFile.write(file, to: path)
        }

        @Test("a version-1 file reads back whole and in ranges, with the ETag of its plaintext MAC", arguments: [0, 1, 65_536, 200_000])
        func versionOneReads(size: Int) async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let content = patternBytes(count: size, seed: 11)
                try Self.place(try VersionOneFixture.file(content, masterKey: testMasterKey), key: Self.key, in: store)

                let head = try await store.head(key: Self.key, logger: testLogger)
                #expect(head.size == Int64(size))
                #expect(head.contentType == VersionOneFixture.contentType)
                #expect(head.etag == Self.etag(HMAC<SHA256>.authenticationCode(for: content, using: Self.etagKey)))
                #expect(try await store.get(Self.key) == content)
                if size > 1 {
                    #expect(try await store.get(Self.key, range: 1...Int64(size - 1)) == Array(content[1...]))
                }
            }
        }

        @Test("a damaged version-1 file is storage_integrity, in a chunk and in the header")
        func versionOneTampering() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let file = try VersionOneFixture.file(patternBytes(count: 200_000, seed: 12), masterKey: testMasterKey)
                let headerLength = 130 + VersionOneFixture.contentType.utf8.count

                var chunk = file
                chunk[headerLength + 65_552 + 9] ^= 0x04  // inside chunk 1
                try Self.place(chunk, key: "a/chunk", in: store)
                #expect(await storageErrorCode { _ = try await store.get("a/chunk") } == "storage_integrity")

                var relabelled = file
                relabelled[9] = 2  // claims version 2: the header tag covers the version field
                try Self.place(relabelled, key: "a/version", in: store)
                #expect(await storageErrorCode { _ = try await store.head(key: "a/version", logger: testLogger) } == "storage_integrity")
            }
        }

        @Test("a new object is version 2; its ETag is HMAC(etag key, SHA-256(plaintext)) and the writer reports that SHA-256")
        func versionTwoWritten() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let content = patternBytes(count: 1_100_000, seed: 13)
                let writer = try await store.makeWriter(key: Self.key, contentType: "application/pdf", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: content))
                let written = try await writer.finish()

                let digest = SHA256.hash(data: content)
                #expect(written.sha256 == digest)
                #expect(written.info.etag == Self.etag(HMAC<SHA256>.authenticationCode(for: Array(digest), using: Self.etagKey)))
                #expect(written.info.etag != Self.etag(HMAC<SHA256>.authenticationCode(for: content, using: Self.etagKey)))
                #expect(try await store.head(key: Self.key, logger: testLogger).etag == written.info.etag)
                let raw = try RawFile.read(store.filePath(Self.key))
                #expect(Array(raw[8..<10]) == [0, 2])
            }
        }

        @Test("a version-2 header relabelled as version 1 or 3 is refused")
        func versionTwoRelabelled() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(patternBytes(count: 1000, seed: 14), key: "a/one")
                try await store.put(patternBytes(count: 1000, seed: 14), key: "a/three")
                for (key, version) in [("a/one", UInt8(1)), ("a/three", UInt8(3))] {
                    let path = try store.filePath(key)
                    var raw = try RawFile.read(path)
                    raw[9] = version
                    try RawFile.write(raw, to: path)
                }
                #expect(await storageErrorCode { _ = try await store.head(key: "a/one", logger: testLogger) } == "storage_integrity")
                #expect(await storageErrorCode { _ = try await store.head(key: "a/three", logger: testLogger) } == "storage_failure")
            }
        }
    }
}

/// A version-1 object file built from the format's written rules with swift-crypto alone, not with the
/// store's code, so the reader is held to the contract rather than to itself. Version 1's content MAC is
/// HMAC-SHA256(etag key, plaintext).
enum VersionOneFixture {
    static let contentType = "application/pdf"

    static func file(_ plaintext: [UInt8], masterKey: SymmetricKey) throws -> [UInt8] {
        func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        func derive(_ info: String, salt: [UInt8]) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, salt: salt, info: Array(info.utf8), outputByteCount: 32)
        }
        let salt = patternBytes(count: 32, seed: 101)
        let noncePrefix = patternBytes(count: 8, seed: 102)
        let type = Array(contentType.utf8)
        let fixed: [UInt8] =
            [0x4D, 0x56, 0x4C, 0x54, 0x4F, 0x42, 0x4A, 0x00] + bigEndian(UInt16(1)) + bigEndian(UInt16(130 + type.count))
            + bigEndian(UInt32(65_536)) + salt + noncePrefix + bigEndian(UInt16(type.count)) + type
        let etagKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: masterKey, info: Array("medvault/v1/etag".utf8), outputByteCount: 32)
        var file = fixed + bigEndian(UInt64(plaintext.count)) + Array(HMAC<SHA256>.authenticationCode(for: plaintext, using: etagKey))
        file += Array(HMAC<SHA256>.authenticationCode(for: file, using: derive("medvault/v1/object/header", salt: salt)))
        let chunkKey = derive("medvault/v1/object/chunk", salt: salt)
        let count = max(1, (plaintext.count + 65_535) / 65_536)
        for index in 0..<count {
            let chunk = plaintext[(index * 65_536)..<min(plaintext.count, (index + 1) * 65_536)]
            let box = try AES.GCM.seal(
                chunk,
                using: chunkKey,
                nonce: AES.GCM.Nonce(data: noncePrefix + bigEndian(UInt32(index))),
                authenticating: fixed + bigEndian(UInt32(index)) + [index == count - 1 ? 1 : 0]
            )
            file += box.ciphertext + box.tag
        }
        return file
    }
}
