extension [UInt8] {
    /// Appends each value in little-endian byte order, as every ZIP field is written (APPNOTE.TXT 4.4).
    package mutating func append<each Value: FixedWidthInteger>(littleEndian value: repeat each Value) {
        for field in repeat each value {
            Swift.withUnsafeBytes(of: field.littleEndian) { self += $0 }
        }
    }
}
