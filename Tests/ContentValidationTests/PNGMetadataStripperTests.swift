import Archive
import ContentValidation
import Documents
import Testing

/// PNG stripping on hand-built files: text, Exif and time chunks go, every other chunk stays byte for byte (CRC
/// included), and broken structure is refused.
@Suite struct PNGMetadataStripperTests {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let length = UInt32(data.count)
        let crc = CRC32.checksum(Array(type.utf8) + data)
        return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + Array(type.utf8) + data
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }

    static let header = chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
    static let gamma = chunk("gAMA", [0, 0, 0xB1, 0x8F])
    static let pixels = chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])
    static let end = chunk("IEND", [])

    @Test func dropsTextExifAndTimeChunksAndKeepsTheRest() throws {
        let input =
            Self.signature + Self.header + Self.chunk("tEXt", Array("Author\0Jane Doe".utf8)) + Self.gamma
            + Self.chunk("iTXt", Array("GPS\0\0\0\0\052.1,13.4".utf8)) + Self.chunk("zTXt", Array("Comment\0\0x".utf8))
            + Self.chunk("tIME", [0x07, 0xEA, 12, 7, 20, 0, 0]) + Self.chunk("eXIf", Array("MM\0*serial".utf8)) + Self.pixels + Self.end
            + Array("trailing bytes".utf8)
        let expected = Self.signature + Self.header + Self.gamma + Self.pixels + Self.end
        for result in StripperRun.stripInEveryChunking(input, as: .png) {
            #expect(try result.get() == StripperRun(bytes: expected, removedMetadata: true))
        }
    }

    @Test func leavesAFileWithoutMetadataUnchanged() throws {
        for result in StripperRun.stripInEveryChunking(Samples.png, as: .png) {
            #expect(try result.get() == StripperRun(bytes: Samples.png, removedMetadata: false))
        }
    }

    static let brokenFiles: [(String, [UInt8])] = [
        ("a damaged signature", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x0A, 0x1A] + header + end),
        ("a length over 2^31 - 1", signature + [0x80, 0x00, 0x00, 0x00] + Array("tEXt".utf8) + end),
        ("a chunk type that is not letters", signature + chunk("t3Xt", []) + end),
        ("cut inside a chunk", signature + Array(header.prefix(15))),
        ("no IEND", signature + header + pixels),
    ]

    @Test(arguments: brokenFiles)
    func refusesBrokenStructure(_ name: String, _ input: [UInt8]) {
        #expect(StripperRun.rejectionCodes(input, as: .png).allSatisfy { $0 == "invalid_image" }, "\(name)")
    }
}
