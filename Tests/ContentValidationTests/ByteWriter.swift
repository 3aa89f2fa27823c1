/// Little helpers to write binary samples byte by byte (little endian, as ZIP, CDF and DICOM want).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: Int) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    mutating func u32(_ value: UInt32) { bytes += (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }
    mutating func u64(_ value: UInt64) { bytes += (0..<8).map { UInt8(value >> (8 * $0) & 0xFF) } }
    mutating func raw(_ value: [UInt8]) { bytes += value }
    mutating func ascii(_ value: String) { bytes += Array(value.utf8) }
    mutating func zeros(_ count: Int) { bytes += [UInt8](repeating: 0, count: count) }
}
