import Crypto
import Documents
import Foundation
import Logging
import NIOCore
import ObjectStorage
import Persistence
import Testing

@testable import Server

/// ``VideoJobWorker`` with the real ffmpeg, a real database and the real local store: a stored video gets its
/// poster, thumbnail and phone rendition at its derived keys, at the right sizes.
@Suite(.enabled(if: FFmpeg.locate() != nil, "needs ffmpeg (Debian ffmpeg)"))
struct VideoJobWorkerTests {
    static let logger = Logger(label: "VideoJobWorkerTests", factory: { _ in SwiftLogNoOpLogHandler() })

    struct Fixture {
        let directory: URL
        let database: SQLiteDatabase
        let store: LocalObjectStore
        let ffmpeg: FFmpeg

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("video-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            database = try ServerTestDatabase.open(in: directory)
            store = LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(data: [UInt8](repeating: 7, count: 32)))
            ffmpeg = try #require(FFmpeg.locate())
        }

        var worker: VideoJobWorker {
            VideoJobWorker(
                database: database,
                store: store,
                renditions: VideoRenditions(ffmpeg: ffmpeg, scratchRoot: VideoRenditions.scratchRoot(in: directory)),
                concurrency: 1,
                now: Date.init,
                logger: VideoJobWorkerTests.logger
            )
        }

        /// Stores `bytes` as a patient's video and enqueues its jobs; returns its row.
        func storeVideo(_ bytes: [UInt8], contentType: String = "video/mp4", kinds: [MediaJobKind]) async throws -> DocumentRecord {
            let id = UUID()
            let key = "patients/p1/therapy-media/\(id.lowercaseText)-exercise.mp4"
            let writer = try await store.makeWriter(key: key, contentType: contentType, logger: VideoJobWorkerTests.logger)
            try await writer.write(ByteBuffer(bytes: bytes))
            let written = try await writer.finish()
            let record = DocumentRecord(
                id: id,
                key: key,
                fileName: "exercise.mp4",
                size: Int64(bytes.count),
                contentType: contentType,
                category: .therapyMedia,
                entityType: .patient,
                entityID: "p1",
                sha256: written.sha256.map { String(format: "%02x", $0) }.joined(),
                etag: written.info.etag,
                uploadedAt: Date(),
                uploadedBy: nil
            )
            try await database.insertDocuments([record], audit: [])
            try await VideoJobQueue(database: database, settings: VideoSettings(transcode: true), ffmpegInstalled: true)
                .enqueue(for: [record], logger: VideoJobWorkerTests.logger)
            #expect(try await database.mediaJobs(documentID: id).map(\.kind) == kinds)
            return record
        }

        /// The stored object at the document's `variant` key, written to a file for ffprobe.
        func variant(_ variant: DocumentVariant, of record: DocumentRecord) async throws -> (contentType: String, file: URL) {
            let key = DerivedKey(documentID: record.id, variant: variant).rawValue
            let info = try await store.head(key: key, logger: VideoJobWorkerTests.logger)
            let scratch = try VideoScratch(root: directory.appendingPathComponent("read"))
            let file = try await scratch.download(key: key, from: store, to: scratch.file(variant.rawValue), logger: VideoJobWorkerTests.logger)
            return (info.contentType ?? "", file)
        }
    }

    /// A test video made by ffmpeg: `seconds` of the test pattern at `size`, with a tone.
    static func makeVideo(size: String, seconds: String, in directory: URL) async throws -> [UInt8] {
        let output = directory.appendingPathComponent("source-\(UUID().uuidString).mp4")
        let ffmpeg = try #require(FFmpeg.locate())
        try await ffmpeg.run(
            [
                "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=\(seconds):size=\(size):rate=15",
                "-f", "lavfi", "-i", "sine=duration=\(seconds)", "-pix_fmt", "yuv420p", "-shortest", output.path,
            ],
            timeout: .seconds(60),
            messages: directory.appendingPathComponent("make.log"),
            logger: logger
        )
        return [UInt8](try Data(contentsOf: output))
    }

    /// What ffprobe says of the first video stream: codec, width, height.
    static func probe(_ file: URL) throws -> [String] {
        let process = Process()
        process.executableURL = try #require(FFmpeg.locate()).executable.deletingLastPathComponent().appendingPathComponent("ffprobe")
        process.arguments = [
            "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", file.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
    }

    @Test("a video gets its poster and thumbnail (JPEG, scaled down) and a 720p H.264 rendition; mobile serves the original until then")
    func rendersEveryVariant() async throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let bytes = try await Self.makeVideo(size: "1280x960", seconds: "2", in: fixture.directory)
        let record = try await fixture.storeVideo(bytes, kinds: [.poster, .transcode])
        let logger = Self.logger

        #expect(await fixture.worker.runNext())
        #expect(await fixture.worker.runNext())
        #expect(!(await fixture.worker.runNext()))
        #expect(try await fixture.database.mediaJobs(documentID: record.id).map(\.state) == [.done, .done])

        let poster = try await fixture.variant(.poster, of: record)
        #expect(poster.contentType == "image/jpeg")
        #expect(try Self.probe(poster.file) == ["mjpeg", "1280", "960"])
        let thumbnail = try await fixture.variant(.thumbnail, of: record)
        #expect(thumbnail.contentType == "image/jpeg")
        #expect(try Self.probe(thumbnail.file) == ["mjpeg", "256", "192"])
        let mobile = try await fixture.variant(.mobile, of: record)
        #expect(mobile.contentType == "video/mp4")
        #expect(try Self.probe(mobile.file) == ["h264", "960", "720"])
        let scratch = VideoRenditions.scratchRoot(in: fixture.directory)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "every job removes its temporary files")

        // What the worker does when the document was removed while its job ran.
        await fixture.worker.renditions.discard(.poster, of: record.id, store: fixture.store, logger: logger)
        for variant in [DocumentVariant.poster, .thumbnail] {
            await #expect(throws: StorageError.self) {
                try await fixture.store.head(key: DerivedKey(documentID: record.id, variant: variant).rawValue, logger: logger)
            }
        }
        #expect(try await fixture.variant(.mobile, of: record).contentType == "video/mp4")
    }

    @Test("a video shorter than the poster's seek gets its first frame")
    func shortVideo() async throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let bytes = try await Self.makeVideo(size: "320x240", seconds: "0.4", in: fixture.directory)
        let record = try await fixture.storeVideo(bytes, kinds: [.poster, .transcode])
        #expect(await fixture.worker.runNext())
        let poster = try await fixture.variant(.poster, of: record)
        #expect(try Self.probe(poster.file) == ["mjpeg", "320", "240"])
    }

    @Test("bytes ffmpeg cannot decode fail the attempt, which waits for its retry; nothing is stored")
    func undecodable() async throws {
        let fixture = try Fixture()
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let record = try await fixture.storeVideo(Array("not a video at all".utf8), kinds: [.poster, .transcode])
        #expect(await fixture.worker.runNext())
        let jobs = try await fixture.database.mediaJobs(documentID: record.id)
        #expect(jobs.first == MediaJob(documentID: record.id, kind: .poster, state: .pending, attempts: 1, owner: nil))
        await #expect(throws: StorageError.self) {
            try await fixture.store.head(key: DerivedKey(documentID: record.id, variant: .poster).rawValue, logger: Self.logger)
        }
    }

    @Test("ffmpeg running past its deadline is killed")
    func timeout() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ffmpeg = try #require(FFmpeg.locate())
        let started = ContinuousClock.now
        await #expect(throws: VideoError.timedOut) {
            try await ffmpeg.run(
                ["-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc", "-f", "null", "-"],
                timeout: .seconds(1),
                messages: directory.appendingPathComponent("ffmpeg.log"),
                logger: Self.logger
            )
        }
        // Without the kill it would run forever (-re paces an endless source); a loaded machine may delay the reaping.
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}
