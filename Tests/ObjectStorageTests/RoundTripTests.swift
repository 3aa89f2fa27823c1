import Crypto
import Foundation
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("Local store round trips and ranges")
    struct RoundTripTests {
        @Test(
            "content survives a round trip at every chunk boundary",
            arguments: [0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 1_048_575, 1_048_576, 1_048_577, 17 * 65_536, 5_000_000]
        )
        func roundTrip(size: Int) async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let content = patternBytes(count: size, seed: UInt64(size))
                let key = "patients/p1/lab-results/\(size)-result.pdf"
                let written = try await store.put(content, key: key)
                #expect(written.size == Int64(size))
                #expect(written.contentType == "application/pdf")
                #expect(written.serverSideEncryption == "AES-256-GCM")
                #expect(written.etag.wholeMatch(of: /"[0-9a-f]{32}"/) != nil)

                let head = try await store.head(key: key, logger: testLogger)
                #expect(head == written)

                let stream = try await store.read(key: key, range: nil, logger: testLogger)
                #expect(stream.info == written)
                #expect(stream.range == nil)
                #expect(try await store.get(key) == content)

                let chunks = max(1, (size + 65_535) / 65_536)
                let fileSize = try FileManager.default.attributesOfItem(atPath: store.filePath(key))[.size] as? Int
                #expect(fileSize == 130 + "application/pdf".utf8.count + size + 16 * chunks)
            }
        }

        @Test(
            "an upload in pieces larger than a chunk, or than a batch of chunks, is cut into the same chunks",
            arguments: [200_000, 1_048_576, 1_048_577, 3_300_000]
        )
        func largePieces(pieceSize: Int) async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let content = patternBytes(count: 3_300_000, seed: 9)
                let pieces = try await store.put(content, key: "a/big-pieces", pieceSize: pieceSize)
                let small = try await store.put(content, key: "a/small-pieces", pieceSize: 4096)
                #expect(try await store.get("a/big-pieces") == content)
                #expect(pieces.etag == small.etag)
                let fileSize = try FileManager.default.attributesOfItem(atPath: store.filePath("a/big-pieces"))[.size] as? Int
                #expect(fileSize == 130 + "application/pdf".utf8.count + content.count + 16 * 51)
            }
        }

        @Test("the ETag follows the content, not the key or the upload")
        func etagTracksContent() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                var content = patternBytes(count: 70_000, seed: 3)
                let first = try await store.put(content, key: "a/one")
                let same = try await store.put(content, key: "b/two", pieceSize: 4096)
                content[69_999] ^= 1
                let changed = try await store.put(content, key: "a/one")
                #expect(first.etag == same.etag)
                #expect(first.etag != changed.etag)
                #expect(try await store.head(key: "a/one", logger: testLogger).etag == changed.etag)
            }
        }

        @Test(
            "range reads return exactly the requested bytes",
            arguments: [
                0...0,  // first byte
                196_707...196_707,  // last byte
                65_530...131_080,  // spans chunks 0, 1 and 2
                100_000...100_000,  // a single byte in the middle of chunk 1
                65_535...65_536,  // straddles the first boundary
                65_536...131_071,  // exactly chunk 1
                131_072...196_707,  // the final, short chunk
                0...196_707,  // everything
            ] as [ClosedRange<Int64>]
        )
        func rangeRead(range: ClosedRange<Int64>) async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let content = patternBytes(count: 3 * 65_536 + 100, seed: 5)
                try await store.put(content, key: "imaging/scan.dcm")
                let stream = try await store.read(key: "imaging/scan.dcm", range: range, logger: testLogger)
                #expect(stream.range == range)
                #expect(stream.info.size == Int64(content.count))
                let expected = Array(content[Int(range.lowerBound)...Int(range.upperBound)])
                #expect(try await store.get("imaging/scan.dcm", range: range) == expected)
            }
        }

        @Test("a range outside the object is refused rather than read past the end")
        func rangeOutside() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(patternBytes(count: 10), key: "a/b")
                #expect(await storageErrorCode { _ = try await store.read(key: "a/b", range: 5...10, logger: testLogger) } == "storage_failure")
            }
        }

        @Test("reading or heading a missing key is not_found")
        func missing() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                #expect(await storageErrorCode { _ = try await store.head(key: "a/b", logger: testLogger) } == "not_found")
                #expect(await storageErrorCode { _ = try await store.read(key: "a/b", range: nil, logger: testLogger) } == "not_found")
                try await store.put([1], key: "a/file")
                // A path component that is a file, not a directory.
                #expect(await storageErrorCode { _ = try await store.head(key: "a/file/x", logger: testLogger) } == "not_found")
            }
        }

        @Test("an upload replaces the object already under its key")
        func overwrite() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(patternBytes(count: 100_000, seed: 1), key: "a/b")
                try await store.put(Array("second".utf8), key: "a/b", contentType: "text/plain")
                #expect(try await store.get("a/b") == Array("second".utf8))
                #expect(try await store.head(key: "a/b", logger: testLogger).contentType == "text/plain")
            }
        }

        @Test("the summary describes the store without any secret")
        func summary() throws {
            let directory = URL(fileURLWithPath: "/var/lib/medvault/")
            let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
            #expect(store.summary.backend == "local")
            #expect(store.summary.location == "/var/lib/medvault")
            #expect(store.summary.region == nil)
            #expect(store.summary.encryption.contains("AES-256-GCM"))
            let json = String(decoding: try JSONEncoder().encode(store.summary), as: UTF8.self)
            let keyText = testMasterKey.withUnsafeBytes { Data($0).base64EncodedString() }
            #expect(!json.contains(keyText))
        }
    }
}
