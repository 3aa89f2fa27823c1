/// Appends tagged, length-prefixed items: the byte form of an audit row that ``AuditChain`` hashes (see the table
/// there). Each item starts with a one-byte tag: `0x00` nil (nothing follows); `0x01` text, followed by the UTF-8 byte
/// count as an 8-byte big-endian unsigned integer and the bytes; `0x02` integer, followed by 8 bytes, big-endian two's
/// complement.
struct CanonicalEncoder {
    var bytes: [UInt8] = []

    mutating func text(_ value: String?) {
        guard let value else {
            bytes.append(0x00)
            return
        }
        let utf8 = Array(value.utf8)
        bytes.append(0x01)
        appendBigEndian(UInt64(utf8.count), byteCount: 8)
        bytes.append(contentsOf: utf8)
    }

    mutating func integer(_ value: Int64?) {
        guard let value else {
            bytes.append(0x00)
            return
        }
        bytes.append(0x02)
        appendBigEndian(UInt64(bitPattern: value), byteCount: 8)
    }

    private mutating func appendBigEndian(_ value: some FixedWidthInteger, byteCount: Int) {
        for index in stride(from: byteCount - 1, through: 0, by: -1) {
            bytes.append(UInt8(truncatingIfNeeded: value >> (index * 8)))
        }
    }
}
