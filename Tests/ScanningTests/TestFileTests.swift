import Archive
import NIOCore
import Testing

@testable import Scanning

@Suite struct TestFileTests {
    @Test func theEICARTestFileIsTheStandardOne() {
        let bytes = EICARTestFile.bytes
        #expect(bytes.count == 68)
        #expect(bytes.starts(with: Array("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR".utf8)))
        // zlib.crc32 of the 68 bytes (an independent implementation) is 0x6851cf3c.
        #expect(CRC32.checksum(bytes) == 0x6851_CF3C)
    }

    @Test func theArchiveIsAOneEntryStoredZip() {
        let zip = EICARTestFile.zipArchive
        let name = Array("eicar.com".utf8)
        #expect(zip.count == 30 + name.count + 68 + 46 + name.count + 22)
        #expect(zip.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        #expect(Array(zip[30..<39]) == name)
        #expect(Array(zip[39..<107]) == EICARTestFile.bytes)
        #expect(Array(zip[107..<111]) == [0x50, 0x4B, 0x01, 0x02])
        let end = Array(zip.suffix(22))
        #expect(end.starts(with: [0x50, 0x4B, 0x05, 0x06]))
        // The end record points at the central directory: 55 bytes at offset 107.
        #expect(Array(end[12..<16]) == [55, 0, 0, 0])
        #expect(Array(end[16..<20]) == [107, 0, 0, 0])
    }

    @Test(arguments: [184, 185, 1 << 20, (1 << 20) + 184, 3 * (1 << 20) + 7])
    func theProbeIsExactlyAsLongAsAsked(byteCount: Int) {
        let chunks = ScanCoverage.probe(byteCount: byteCount)
        #expect(chunks.reduce(0) { $0 + $1.readableBytes } == byteCount)
        #expect(chunks.last.map { Array($0.readableBytesView) } == EICARTestFile.zipArchive)
        #expect(chunks.dropLast().allSatisfy { $0.readableBytesView.allSatisfy { $0 == 0 } })
        #expect(chunks.allSatisfy { $0.readableBytes <= 1 << 20 })
    }
}
