import Crypto
import Foundation
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("Encryption at rest and tamper detection")
    struct TamperingTests {
        /// Header length for the default content type `application/pdf`.
        static let headerLength = 130 + "application/pdf".utf8.count
        static let sealedChunk = EncryptedObjectFormat.sealedChunkSize
        static func chunkOffset(_ index: Int) -> Int { headerLength + index * sealedChunk }

        /// Three full chunks and a short fourth.
        static let content = patternBytes(count: 3 * 65_536 + 1000, seed: 77)

        /// Writes `content` under `key`, lets `damage` edit the file's bytes, and returns the store.
        func damaged(
            _ directory: URL,
            key: String = "patients/p1/other/x",
            content: [UInt8] = Self.content,
            _ damage: (inout [UInt8]) -> Void
        ) async throws -> LocalObjectStore {
            let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
            try await store.put(content, key: key)
            let path = try store.filePath(key)
            var bytes = try RawFile.read(path)
            damage(&bytes)
            try RawFile.write(bytes, to: path)
            return store
        }

        func readFailure(_ store: LocalObjectStore, key: String = "patients/p1/other/x") async -> String? {
            await storageErrorCode { _ = try await store.get(key) }
        }

        @Test("the plaintext does not appear on disk")
        func ciphertextOnDisk() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let marker = Array("PATIENT-MARKER-4711 Jane Doe, DOB 1970-01-01; ".utf8)
                let content = Array((0..<4000).map { _ in marker }.joined())
                try await store.put(content, key: "patients/p1/medical-records/note.txt", contentType: "text/plain")
                let raw = try RawFile.read(store.filePath("patients/p1/medical-records/note.txt"))
                #expect(raw.count > content.count)
                #expect(raw.firstRange(of: Array("PATIENT-MARKER".utf8)) == nil)
                #expect(raw.firstRange(of: Array("Jane Doe".utf8)) == nil)
                // Identical plaintext chunks encrypt differently (per-chunk nonces).
                let chunk0 = raw[Self.chunkOffset(0)..<(Self.chunkOffset(0) + 4096)]
                let chunk1 = raw[(Self.chunkOffset(1) - 11)..<(Self.chunkOffset(1) + 4096 - 11)]
                #expect(chunk0 != chunk1)
                #expect(try await store.get("patients/p1/medical-records/note.txt") == content)
            }
        }

        @Test("the same content encrypts differently in two objects (per-object salt)")
        func perObjectKeys() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(Self.content, key: "a/one")
                try await store.put(Self.content, key: "a/two")
                let one = try RawFile.read(store.filePath("a/one"))
                let two = try RawFile.read(store.filePath("a/two"))
                #expect(one.count == two.count)
                #expect(one[Self.chunkOffset(1)..<Self.chunkOffset(2)] != two[Self.chunkOffset(1)..<Self.chunkOffset(2)])
            }
        }

        @Test("a flipped byte in the first chunk fails before the body starts")
        func flipFirstChunk() async throws {
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { $0[Self.chunkOffset(0) + 10] ^= 0x01 }
                #expect(
                    await storageErrorCode { _ = try await store.read(key: "patients/p1/other/x", range: nil, logger: testLogger) }
                        == "storage_integrity"
                )
            }
        }

        @Test("a flipped byte in a later chunk of the first batch fails before the body starts")
        func flipLaterChunkOfFirstBatch() async throws {
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { $0[Self.chunkOffset(2) + 500] ^= 0x80 }
                #expect(await readFailure(store) == "storage_integrity")
                #expect(try await store.get("patients/p1/other/x", range: 0...65_535) == Array(Self.content[0...65_535]))
            }
        }

        @Test("a flipped byte in a later batch fails while streaming, and a range avoiding it still reads")
        func flipLaterBatch() async throws {
            let batch = LocalObjectStore.chunksPerIO
            let content = patternBytes(count: (batch + 1) * 65_536 + 1000, seed: 78)
            try await withDataDirectory { directory in
                let store = try await damaged(directory, content: content) { $0[Self.chunkOffset(batch) + 500] ^= 0x80 }
                let stream = try await store.read(key: "patients/p1/other/x", range: nil, logger: testLogger)
                #expect(await storageErrorCode { for try await _ in stream.body {} } == "storage_integrity")
                let firstBatch = 0...(Int64(batch) * 65_536 - 1)
                #expect(try await store.get("patients/p1/other/x", range: firstBatch) == Array(content[0..<(batch * 65_536)]))
            }
        }

        @Test("a flipped byte in a chunk's tag is detected")
        func flipTag() async throws {
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { $0[Self.chunkOffset(1) - 1] ^= 0x01 }
                #expect(await readFailure(store) == "storage_integrity")
            }
        }

        @Test("a changed header field (content type, length) is detected by head")
        func headerTampering() async throws {
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { $0[58] = UInt8(ascii: "t") }  // "application/pdf" → "tpplication/pdf"
                #expect(await storageErrorCode { _ = try await store.head(key: "patients/p1/other/x", logger: testLogger) } == "storage_integrity")
            }
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { $0[58 + 15 + 7] ^= 0x01 }  // lowest byte of the length
                #expect(await storageErrorCode { _ = try await store.head(key: "patients/p1/other/x", logger: testLogger) } == "storage_integrity")
            }
        }

        @Test(
            "a truncated or extended file is detected",
            arguments: [
                "drop the last byte", "drop the final chunk", "keep only the header", "append a byte", "empty file",
            ]
        )
        func truncation(_ change: String) async throws {
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { bytes in
                    switch change {
                    case "drop the last byte": bytes.removeLast()
                    case "drop the final chunk": bytes.removeSubrange(Self.chunkOffset(3)...)
                    case "keep only the header": bytes.removeSubrange(Self.headerLength...)
                    case "append a byte": bytes.append(0)
                    default: bytes = []
                    }
                }
                #expect(await readFailure(store) == "storage_integrity")
                #expect(await storageErrorCode { _ = try await store.head(key: "patients/p1/other/x", logger: testLogger) } == "storage_integrity")
            }
        }

        @Test("two swapped chunks are detected")
        func swapChunks() async throws {
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { bytes in
                    let first = Array(bytes[Self.chunkOffset(0)..<Self.chunkOffset(1)])
                    bytes.replaceSubrange(Self.chunkOffset(0)..<Self.chunkOffset(1), with: bytes[Self.chunkOffset(1)..<Self.chunkOffset(2)])
                    bytes.replaceSubrange(Self.chunkOffset(1)..<Self.chunkOffset(2), with: first)
                }
                #expect(await readFailure(store) == "storage_integrity")
                // Each swapped chunk fails on its own, too.
                #expect(await storageErrorCode { _ = try await store.get("patients/p1/other/x", range: 65_536...65_540) } == "storage_integrity")
            }
        }

        @Test("a chunk copied from another object with the same layout is detected")
        func chunkFromAnotherObject() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(Self.content, key: "a/victim")
                try await store.put(Self.content, key: "a/donor")
                let donor = try RawFile.read(store.filePath("a/donor"))
                var victim = try RawFile.read(store.filePath("a/victim"))
                victim.replaceSubrange(Self.chunkOffset(1)..<Self.chunkOffset(2), with: donor[Self.chunkOffset(1)..<Self.chunkOffset(2)])
                try RawFile.write(victim, to: store.filePath("a/victim"))
                #expect(await readFailure(store, key: "a/victim") == "storage_integrity")
                #expect(try await store.get("a/donor") == Self.content)
            }
        }

        @Test("truncation at a chunk boundary is caught by the final-chunk flag even with a re-signed header")
        func finalFlag() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(Self.content, key: "a/b")
                let path = try store.filePath("a/b")
                let original = try RawFile.read(path)
                // Someone holding the master key rewrites the header to claim two chunks and cuts the file to match:
                // only the final-chunk flag in chunk 1's AAD still tells that chunk 1 was not the last one.
                var (header, keys) = try EncryptedObjectHeader.decode(Array(original.prefix(512)), masterKey: testMasterKey)
                header.plaintextLength = 2 * 65_536
                let forged = header.encoded(headerKey: keys.headerKey) + original[Self.headerLength..<Self.chunkOffset(2)]
                #expect(Int64(forged.count) == header.fileLength)
                try RawFile.write(Array(forged), to: path)
                #expect(try await store.head(key: "a/b", logger: testLogger).size == 2 * 65_536)
                #expect(try await store.get("a/b", range: 0...65_535) == Array(Self.content[0...65_535]))
                #expect(await storageErrorCode { _ = try await store.get("a/b", range: 65_536...65_536) } == "storage_integrity")
            }
        }

        @Test("a chunk opens only with its own index and final flag")
        func chunkBinding() throws {
            let key = SymmetricKey(size: .bits256)
            let fixed = Array("fixed header".utf8)
            let prefix = [UInt8](repeating: 7, count: 8)
            let plaintext = patternBytes(count: 1000)
            var sealed: [UInt8] = []
            try EncryptedObjectFormat.sealChunk(
                plaintext[...],
                index: 3,
                isFinal: false,
                fixedHeader: fixed,
                noncePrefix: prefix,
                key: key,
                into: &sealed
            )
            let opened = try EncryptedObjectFormat.openChunk(sealed[...], index: 3, isFinal: false, fixedHeader: fixed, noncePrefix: prefix, key: key)
            #expect(Array(opened) == plaintext)
            #expect(throws: StorageError.self) {
                try EncryptedObjectFormat.openChunk(sealed[...], index: 3, isFinal: true, fixedHeader: fixed, noncePrefix: prefix, key: key)
            }
            #expect(throws: StorageError.self) {
                try EncryptedObjectFormat.openChunk(sealed[...], index: 4, isFinal: false, fixedHeader: fixed, noncePrefix: prefix, key: key)
            }
            #expect(throws: StorageError.self) {
                try EncryptedObjectFormat.openChunk(sealed[...], index: 3, isFinal: false, fixedHeader: fixed + [0], noncePrefix: prefix, key: key)
            }
        }

        @Test("a different master key cannot read (or even head) an object")
        func wrongMasterKey() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(Self.content, key: "a/b")
                let other = LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(size: .bits256))
                #expect(await storageErrorCode { _ = try await other.head(key: "a/b", logger: testLogger) } == "storage_integrity")
                #expect(await storageErrorCode { _ = try await other.get("a/b") } == "storage_integrity")
                #expect(try await store.get("a/b") == Self.content)
            }
        }

        @Test("a file that is not in the format is an integrity failure, and its message is safe to show")
        func foreignFile() async throws {
            try await withDataDirectory { directory in
                let store = try await damaged(directory) { bytes in bytes = Array("%PDF-1.7 plain text".utf8) }
                do {
                    _ = try await store.head(key: "patients/p1/other/x", logger: testLogger)
                    Issue.record("expected a failure")
                } catch let error as StorageError {
                    #expect(error.code == "storage_integrity")
                    #expect(!error.message.contains("patients"))
                    #expect(!error.message.contains(directory.path))
                }
            }
        }
    }
}
