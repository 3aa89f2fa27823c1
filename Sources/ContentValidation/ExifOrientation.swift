/// The Orientation tag (0x0112) of an Exif block, and the smallest Exif APP1 segment that carries it and nothing
/// else: what a JPEG or WebP keeps of its Exif so that a photo taken sideways still shows upright (CIPA DC-008, §4.6.4).
struct ExifOrientation {
    /// 1 (upright) to 8, as Exif numbers the rotations and mirrorings.
    let value: UInt16
    /// The original's byte order (`MM`), kept in the new segment.
    let bigEndian: Bool

    static let tag: UInt16 = 0x0112
    static let shortType: UInt16 = 3

    /// Reads the orientation from IFD0 of a TIFF structure (what follows `Exif\0\0`); nil when there is none, or
    /// when the structure is too damaged to find it (the Exif is dropped either way).
    init?(tiff: ArraySlice<UInt8>) {
        let tiff = Array(tiff)
        guard tiff.count >= 8 else { return nil }
        let order: Bool
        switch (tiff[0], tiff[1]) {
        case (0x4D, 0x4D): order = true
        case (0x49, 0x49): order = false
        default: return nil
        }
        func read(_ offset: Int, _ width: Int) -> Int? {
            guard offset >= 0, offset + width <= tiff.count else { return nil }
            let bytes = tiff[offset..<(offset + width)]
            return (order ? Array(bytes) : bytes.reversed()).reduce(0) { $0 << 8 | Int($1) }
        }
        guard read(2, 2) == 42, let directory = read(4, 4), let count = read(directory, 2) else { return nil }
        for entry in stride(from: directory + 2, to: directory + 2 + 12 * count, by: 12) {
            guard let tag = read(entry, 2), let type = read(entry + 2, 2), let value = read(entry + 8, 2) else { return nil }
            guard tag == Self.tag else { continue }
            guard type == Self.shortType, (1...8).contains(value) else { return nil }
            self.value = UInt16(value)
            self.bigEndian = order
            return
        }
        return nil
    }

    /// A TIFF structure (byte-order mark, 42, IFD0) whose IFD0 holds the orientation alone, in the original's byte
    /// order: the payload of a WebP `EXIF` chunk, and of a JPEG's Exif segment after `Exif\0\0`.
    var tiff: [UInt8] {
        func bytes(_ value: UInt32, width: Int) -> [UInt8] {
            let bigEndianBytes = (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
            return bigEndian ? bigEndianBytes : bigEndianBytes.reversed()
        }
        var tiff: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        tiff += bytes(42, width: 2) + bytes(8, width: 4)
        tiff += bytes(1, width: 2)
        tiff += bytes(UInt32(Self.tag), width: 2) + bytes(UInt32(Self.shortType), width: 2) + bytes(1, width: 4)
        tiff += bytes(UInt32(value), width: 2) + [0, 0]
        tiff += bytes(0, width: 4)
        return tiff
    }

    /// `FF E1`, the length, `Exif\0\0` and ``tiff``: the Exif APP1 segment a JPEG keeps.
    var segment: [UInt8] {
        let payload = JPEGMetadataStripper.exifSignature + tiff
        let length = payload.count + 2
        return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }
}
