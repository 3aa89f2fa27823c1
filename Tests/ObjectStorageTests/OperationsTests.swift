import Foundation
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("Move, delete and list")
    struct OperationsTests {
        @Test("move renames into archived/, keeps bytes and ETag, and prunes the emptied directories")
        func move() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let content = patternBytes(count: 100_000, seed: 8)
                let source = "patients/p1/lab-results/0e1f-result.pdf"
                let target = "archived/patients/p1/lab-results/0e1f-result.pdf"
                let written = try await store.put(content, key: source)
                try await store.put([1], key: "patients/p2/other/keep.txt")
                try await store.move(from: source, to: target, logger: testLogger)
                #expect(await storageErrorCode { _ = try await store.head(key: source, logger: testLogger) } == "not_found")
                #expect(try await store.get(target) == content)
                #expect(try await store.head(key: target, logger: testLogger).etag == written.etag)
                #expect(filesUnder(directory.appendingPathComponent("objects")) == [target, "patients/p2/other/keep.txt"])
                #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("objects/patients/p1").path))
                #expect(await storageErrorCode { try await store.move(from: source, to: target, logger: testLogger) } == "not_found")
            }
        }

        @Test("delete unlinks, prunes empty parents but not objects/ or busy siblings, and tolerates a missing key")
        func delete() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put([1], key: "patients/p1/billing/a.pdf")
                try await store.put([2], key: "patients/p1/forms/b.pdf")
                try await store.delete(key: "patients/p1", logger: testLogger)  // a directory, not an object: no-op
                #expect(try await store.get("patients/p1/billing/a.pdf") == [1])
                try await store.delete(key: "patients/p1/billing/a.pdf", logger: testLogger)
                #expect(await storageErrorCode { _ = try await store.head(key: "patients/p1/billing/a.pdf", logger: testLogger) } == "not_found")
                #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("objects/patients/p1/billing").path))
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("objects/patients/p1/forms").path))
                try await store.delete(key: "patients/p1/forms/b.pdf", logger: testLogger)
                #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("objects").path))
                #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("objects/patients").path))
                try await store.delete(key: "patients/p1/forms/b.pdf", logger: testLogger)
                try await store.delete(key: "never/existed", logger: testLogger)
            }
        }

        static let keys = [
            "a-b", "a/b", "a/c/d", "a0", "b", "patients/p1/x", "patients/p10/y", "patients/p2/z", "temp/\u{e9}t\u{e9}",
        ]

        @Test(
            "list returns keys in byte order, filtered by prefix",
            arguments: [
                ("", keys),
                ("a", ["a-b", "a/b", "a/c/d", "a0"]),
                ("a/", ["a/b", "a/c/d"]),
                ("patients/p1", ["patients/p1/x", "patients/p10/y"]),
                ("patients/p1/", ["patients/p1/x"]),
                ("temp/\u{e9}", ["temp/\u{e9}t\u{e9}"]),
                ("nothing/here/", []),
            ]
        )
        func list(prefix: String, expected: [String]) async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                for key in Self.keys.reversed() {
                    try await store.put(Array(key.utf8), key: key, contentType: "text/plain")
                }
                let listing = try await store.list(prefix: prefix, continuationToken: nil, maxKeys: 1000, logger: testLogger)
                #expect(listing.objects.map(\.key) == expected)
                #expect(listing.nextContinuationToken == nil)
                for object in listing.objects {
                    #expect(object.size == Int64(object.key.utf8.count))
                    #expect(object.contentType == "text/plain")
                }
            }
        }

        @Test("paging with continuation tokens visits every key once, in order", arguments: [1, 2, 3, 8, 9])
        func paging(pageSize: Int) async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                for key in Self.keys {
                    try await store.put([0], key: key)
                }
                var seen: [String] = []
                var token: String?
                var pages = 0
                repeat {
                    let page = try await store.list(prefix: "", continuationToken: token, maxKeys: pageSize, logger: testLogger)
                    #expect(page.objects.count <= pageSize)
                    seen += page.objects.map(\.key)
                    token = page.nextContinuationToken
                    pages += 1
                } while token != nil && pages < 20
                #expect(seen == Self.keys)
                #expect(pages == (Self.keys.count + pageSize - 1) / pageSize)
            }
        }

        @Test("an invalid continuation token or prefix is refused")
        func invalidListing() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                #expect(
                    await storageErrorCode { _ = try await store.list(prefix: "", continuationToken: "%%%", maxKeys: 5, logger: testLogger) }
                        == "storage_failure"
                )
                #expect(
                    await storageErrorCode { _ = try await store.list(prefix: "../", continuationToken: nil, maxKeys: 5, logger: testLogger) }
                        == "storage_failure"
                )
                #expect(
                    await storageErrorCode { _ = try await store.list(prefix: "/etc/", continuationToken: nil, maxKeys: 5, logger: testLogger) }
                        == "storage_failure"
                )
            }
        }

        @Test("listing a damaged object reports it instead of skipping it")
        func listDamaged() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put([1, 2, 3], key: "a/b")
                try RawFile.write([0, 0, 0], to: store.filePath("a/b"))
                #expect(
                    await storageErrorCode { _ = try await store.list(prefix: "a/", continuationToken: nil, maxKeys: 5, logger: testLogger) }
                        == "storage_integrity"
                )
            }
        }
    }
}
