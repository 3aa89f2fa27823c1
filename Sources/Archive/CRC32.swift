/// CRC-32 as ZIP and PNG use it (ISO 3309, the reflected polynomial 0xEDB88320; APPNOTE.TXT 4.4.7), computed a
/// buffer at a time so that an archive entry's checksum is known once its last byte has streamed past.
///
/// Slicing-by-8 (eight bytes per step through eight tables, as zlib's portable code does): a table lookup per byte
/// chains each step on the last and ran at about a third of the speed here, making the checksum, not the store, the
/// limit of an export.
package struct CRC32: Sendable, Equatable {
    /// The running register, pre- and post-inverted as the standard says.
    private var register: UInt32 = 0xFFFF_FFFF

    /// A checksum of nothing yet.
    package init() {}

    /// The checksum of everything passed to ``update(_:)`` so far.
    package var value: UInt32 { ~register }

    /// Adds `bytes` to the checksum.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var crc = register
        Self.tables.withUnsafeBufferPointer { table in
            var offset = 0
            while bytes.count - offset >= 8 {
                let low = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) ^ crc
                let high = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                crc =
                    table[7 << 8 | Int(low & 0xFF)] ^ table[6 << 8 | Int(low >> 8 & 0xFF)]
                    ^ table[5 << 8 | Int(low >> 16 & 0xFF)] ^ table[4 << 8 | Int(low >> 24)]
                    ^ table[3 << 8 | Int(high & 0xFF)] ^ table[2 << 8 | Int(high >> 8 & 0xFF)]
                    ^ table[1 << 8 | Int(high >> 16 & 0xFF)] ^ table[Int(high >> 24)]
                offset += 8
            }
            while offset < bytes.count {
                crc = table[Int((crc ^ UInt32(bytes[offset])) & 0xFF)] ^ (crc >> 8)
                offset += 1
            }
        }
        register = crc
    }

    /// The checksum of `bytes` in one call.
    package static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        Array(bytes).withUnsafeBytes { crc.update($0) }
        return crc.value
    }

    /// Eight tables of 256 entries, one after the other: table 0 is the register after shifting a byte through
    /// eight rounds of the polynomial; table k is table k-1 advanced by one more zero byte.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 {
                value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
            }
            tables[index] = value
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) << 8 | index]
                tables[slice << 8 | index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()
}
