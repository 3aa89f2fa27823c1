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

    /// The bit-by-bit definition, to check the eight-byte steps and the byte-wise tail at every alignment and length.
    private static func bitwise(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func agreesWithTheDefinitionAtEveryAlignmentAndLength() {
        let bytes = (0..<80).map { UInt8(truncatingIfNeeded: $0 &* 197 &+ 11) }
        for start in 0..<8 {
            for length in 0..<64 {
                let slice = bytes[start..<(start + length)]
                var crc = CRC32()
                slice.withUnsafeBytes { crc.update($0) }
                #expect(crc.value == Self.bitwise(slice), "start \(start), length \(length)")
            }
        }
    }
}
