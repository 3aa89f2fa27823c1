/// Heads of the media files libmagic recognises by their container: an ISO base-media `ftyp` box (MP4, MOV, HEIC)
/// or a Matroska EBML header naming the WebM doctype. Enough bytes for the type decision, no real frames.
enum MediaSamples {
    /// An `ftyp` box with `major` and `compatible` brands (four characters each), then an empty `mdat` box.
    static func isoMedia(major: String, compatible: [String]) -> [UInt8] {
        let body = Array(major.utf8) + [0, 0, 0, 0] + compatible.flatMap { Array($0.utf8) }
        return bigEndian(UInt32(8 + body.count)) + Array("ftyp".utf8) + body + bigEndian(16) + Array("mdat".utf8) + [UInt8](repeating: 0, count: 8)
    }

    static let mp4 = isoMedia(major: "isom", compatible: ["isom", "iso2", "mp41"])
    static let mov = isoMedia(major: "qt  ", compatible: ["qt  "])
    static let heic = isoMedia(major: "heic", compatible: ["mif1", "heic"])

    /// An EBML header with DocType `webm`, then padding.
    static let webm: [UInt8] =
        [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0xF7, 0x81, 0x01, 0x42, 0xF2, 0x81, 0x04, 0x42, 0xF3, 0x81, 0x08]
        + [0x42, 0x82, 0x84] + Array("webm".utf8) + [0x42, 0x87, 0x81, 0x04, 0x42, 0x85, 0x81, 0x02] + [UInt8](repeating: 0, count: 32)

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
