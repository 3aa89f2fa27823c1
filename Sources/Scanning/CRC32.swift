/// CRC-32 as ZIP uses it (ISO 3309, the reflected polynomial 0xEDB88320; APPNOTE.TXT 4.4.7), for the one small archive
/// medvault builds itself (``EICARTestFile/zipArchive``). Bit by bit: the input is 68 bytes.
enum CRC32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }
}
