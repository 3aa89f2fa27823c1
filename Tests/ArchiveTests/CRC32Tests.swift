import Testing

@testable import Archive

@Suite struct CRC32Tests {
    @Test func matchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func buffersAddUpToTheWhole() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var crc = CRC32()
        for chunk in stride(from: 0, to: bytes.count, by: 777) {
            bytes[chunk..<min(chunk + 777, bytes.count)].withUnsafeBytes { crc.update($0) }
        }
        #expect(crc.value == CRC32.checksum(bytes))
        // zlib.crc32 of the same bytes, an independent implementation.
        #expect(crc.value == 0xF2BB_FD85)
    }
}
