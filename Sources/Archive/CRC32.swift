/// CRC-32 as ZIP and PNG use it (ISO 3309, the reflected polynomial 0xEDB88320; APPNOTE.TXT 4.4.7), computed a
/// buffer at a time so that an archive entry's checksum is known once its last byte has streamed past.
///
/// Table-driven, one byte per step: fast enough that an export is bound by the store, not by the checksum.
package struct CRC32: Sendable, Equatable {
    /// The running register, pre- and post-inverted as the standard says.
    private var register: UInt32 = 0xFFFF_FFFF

    /// A checksum of nothing yet.
    package init() {}

    /// The checksum of everything passed to ``update(_:)`` so far.
    package var value: UInt32 { ~register }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: some Sequence<UInt8>) {
        var crc = register
        Self.table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        register = crc
    }

    /// The checksum of `bytes` in one call.
    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// The register after shifting each byte value through eight rounds of the polynomial.
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }
}
