import Crypto
import Foundation
import NIOCore
import Testing

@testable import ObjectStorage

extension ObjectStorageTests {
    @Suite("Flat memory for large objects")
    struct MemoryTests {
        /// The process's resident set size in bytes, from `/proc/self/status` (VmRSS, in kB).
        static func residentBytes() -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
            else { return nil }
            return kilobytes * 1024
        }

        @Test("a 50 MB object is written in 64 KiB pieces and read back in 1 MiB batches with flat memory")
        func fiftyMegabytes() async throws {
            guard let baseline = Self.residentBytes() else {
                Issue.record("/proc/self/status has no VmRSS")
                return
            }
            try await withDataDirectory { directory in
                let store = LocalObjectStore(dataDirectory: directory, masterKey: testMasterKey)
                let pieceSize = 65_536
                let pieces = 800  // 52,428,800 bytes
                let template = patternBytes(count: pieceSize, seed: 50)
                var peak = baseline

                var written = SHA256()
                let writer = try await store.makeWriter(key: "imaging/large.dcm", contentType: "application/dicom", logger: testLogger)
                for index in 0..<pieces {
                    var piece = ByteBuffer(bytes: template)
                    piece.setInteger(UInt32(index), at: 0)
                    piece.withUnsafeReadableBytes { written.update(bufferPointer: $0) }
                    try await writer.write(piece)
                    if index % 50 == 0 { peak = max(peak, Self.residentBytes() ?? 0) }
                }
                let info = try await writer.finish().info
                #expect(info.size == Int64(pieceSize * pieces))
                let afterWrite = Self.residentBytes() ?? 0

                var read = SHA256()
                var count = 0
                var buffers = 0
                let stream = try await store.read(key: "imaging/large.dcm", range: nil, logger: testLogger)
                for try await buffer in stream.body {
                    buffer.withUnsafeReadableBytes { read.update(bufferPointer: $0) }
                    count += buffer.readableBytes
                    buffers += 1
                    if buffers % 50 == 0 { peak = max(peak, Self.residentBytes() ?? 0) }
                }
                let afterRead = Self.residentBytes() ?? 0
                peak = max(peak, afterWrite, afterRead)

                #expect(count == pieceSize * pieces)
                #expect(buffers == pieces / LocalObjectStore.chunksPerIO)
                #expect(Array(read.finalize()) == Array(written.finalize()))
                let growth = peak - baseline
                print(
                    "VmRSS baseline \(baseline / 1024) kB, after write \(afterWrite / 1024) kB, after read \(afterRead / 1024) kB, "
                        + "peak \(peak / 1024) kB, growth \(growth / 1024) kB for a \(count / 1_048_576) MiB object"
                )
                // VmRSS is the whole test process's, and other suites run alongside this one (they alone added about
                // 16 MiB during the write in one run). An object held in memory would add its 50 MiB on top.
                #expect(growth < 32 * 1_048_576)
            }
        }
    }
}
