import Foundation
import NIOCore
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("Atomic, streaming uploads")
    struct WriterTests {
        @Test("nothing is visible under the key before finish; the temporary file lives in tmp/")
        func invisibleUntilFinish() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let writer = try await store.makeWriter(key: "patients/p1/forms/intake.pdf", contentType: "application/pdf", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: patternBytes(count: 200_000)))
                #expect(await storageErrorCode { _ = try await store.head(key: "patients/p1/forms/intake.pdf", logger: testLogger) } == "not_found")
                #expect(try await store.list(prefix: "", continuationToken: nil, maxKeys: 10, logger: testLogger).objects.isEmpty)
                #expect(filesUnder(directory.appendingPathComponent("objects")).isEmpty)
                let temporary = filesUnder(directory.appendingPathComponent("tmp"))
                #expect(temporary.count == 1)
                #expect(temporary.first?.hasSuffix(".upload") == true)
                #expect(RawFile.mode(directory.appendingPathComponent("tmp/\(temporary[0])").path) == 0o600)

                let info = try await writer.finish().info
                #expect(info.size == 200_000)
                #expect(filesUnder(directory.appendingPathComponent("tmp")).isEmpty)
                #expect(filesUnder(directory.appendingPathComponent("objects")) == ["patients/p1/forms/intake.pdf"])
                #expect(RawFile.mode(try store.filePath("patients/p1/forms/intake.pdf")) == 0o600)
                #expect(RawFile.mode(directory.appendingPathComponent("objects/patients").path) == 0o700)
            }
        }

        @Test("abort leaves no trace, is idempotent, and ends the writer")
        func abort() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let writer = try await store.makeWriter(key: "patients/p1/imaging/ct.dcm", contentType: "application/dicom", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: patternBytes(count: 150_000)))
                await writer.abort()
                await writer.abort()
                #expect(filesUnder(directory).isEmpty)
                #expect(await storageErrorCode { _ = try await store.head(key: "patients/p1/imaging/ct.dcm", logger: testLogger) } == "not_found")
                #expect(await storageErrorCode { try await writer.write(ByteBuffer(bytes: [1])) } == "storage_failure")
                #expect(await storageErrorCode { _ = try await writer.finish() } == "storage_failure")
            }
        }

        @Test("abort, or dropping the writer, with a batch still being written leaves no trace")
        func batchInFlight() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let aborted = try await store.makeWriter(key: "a/aborted", contentType: "application/dicom", logger: testLogger)
                try await aborted.write(ByteBuffer(bytes: patternBytes(count: 2_200_000)))  // two batches handed to the I/O thread
                await aborted.abort()
                #expect(filesUnder(directory).isEmpty)

                var dropped: (any ObjectWriter)? = try await store.makeWriter(key: "a/dropped", contentType: "application/dicom", logger: testLogger)
                try await dropped?.write(ByteBuffer(bytes: patternBytes(count: 2_200_000)))
                dropped = nil
                // The cleanup waits for the write in flight, so it may end a moment after the drop.
                for _ in 0..<200 where !filesUnder(directory.appendingPathComponent("tmp")).isEmpty {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(filesUnder(directory).isEmpty)
            }
        }

        @Test("abort does not disturb the object already under the key")
        func abortKeepsPrevious() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                try await store.put(Array("version one".utf8), key: "a/b")
                let writer = try await store.makeWriter(key: "a/b", contentType: "text/plain", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: patternBytes(count: 100_000)))
                #expect(try await store.get("a/b") == Array("version one".utf8))
                await writer.abort()
                #expect(try await store.get("a/b") == Array("version one".utf8))
            }
        }

        @Test("a writer dropped without finish or abort removes its temporary file")
        func droppedWriter() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                var writer: (any ObjectWriter)? = try await store.makeWriter(key: "a/b", contentType: "text/plain", logger: testLogger)
                try await writer?.write(ByteBuffer(bytes: [1, 2, 3]))
                #expect(filesUnder(directory.appendingPathComponent("tmp")).count == 1)
                writer = nil
                #expect(filesUnder(directory.appendingPathComponent("tmp")).isEmpty)
            }
        }

        @Test("finish twice is refused and the object stays as first committed")
        func finishTwice() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let writer = try await store.makeWriter(key: "a/b", contentType: "text/plain", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: [1, 2, 3]))
                _ = try await writer.finish()
                #expect(await storageErrorCode { _ = try await writer.finish() } == "storage_failure")
                await writer.abort()
                #expect(try await store.get("a/b") == [1, 2, 3])
            }
        }

        @Test("stale temporary files are swept by age, fresh ones are kept")
        func staleTemporaryFiles() async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                #expect(try store.removeStaleTemporaryFiles(now: Date()) == 0)  // no tmp/ yet
                let writer = try await store.makeWriter(key: "a/b", contentType: "text/plain", logger: testLogger)
                try await writer.write(ByteBuffer(bytes: patternBytes(count: 70_000)))
                #expect(try store.removeStaleTemporaryFiles(olderThan: 3600, now: Date()) == 0)
                #expect(try store.removeStaleTemporaryFiles(olderThan: 3600, now: Date().addingTimeInterval(3500)) == 0)
                #expect(try store.removeStaleTemporaryFiles(olderThan: 3600, now: Date().addingTimeInterval(3700)) == 1)
                #expect(filesUnder(directory.appendingPathComponent("tmp")).isEmpty)
                // The swept upload can no longer be committed, and nothing appears under its key.
                #expect(await storageErrorCode { _ = try await writer.finish() } != nil)
                #expect(await storageErrorCode { _ = try await store.head(key: "a/b", logger: testLogger) } == "not_found")
            }
        }

        @Test(
            "keys that could escape objects/ or alias another key are refused",
            arguments: [
                "", "/etc/passwd", "../outside", "a/../../outside", "a//b", "a/./b", "a/b/", "a\u{0}b", "a\nb", "a\\b",
                String(repeating: "x", count: 256),
            ]
        )
        func invalidKeys(key: String) async throws {
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory.appendingPathComponent("data"), masterKey: testMasterKey)
                #expect(
                    await storageErrorCode { _ = try await store.makeWriter(key: key, contentType: "text/plain", logger: testLogger) }
                        == "storage_failure"
                )
                #expect(await storageErrorCode { _ = try await store.read(key: key, range: nil, logger: testLogger) } == "storage_failure")
                #expect(await storageErrorCode { try await store.delete(key: key, logger: testLogger) } == "storage_failure")
                #expect(await storageErrorCode { try await store.move(from: "a/b", to: key, logger: testLogger) } == "storage_failure")
                #expect(filesUnder(directory).isEmpty)
            }
        }
    }
}
