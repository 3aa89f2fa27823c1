import ContentValidation
import Documents
import Testing

/// JPEG stripping on hand-built files: metadata segments go, the image's own segments and scan data stay byte for
/// byte, the orientation survives in a minimal Exif segment, and broken structure is refused.
@Suite struct JPEGMetadataStripperTests {
    static let soi: [UInt8] = [0xFF, 0xD8]
    static let eoi: [UInt8] = [0xFF, 0xD9]
    static let jfif = segment(0xE0, Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00])
    static let icc = segment(0xE2, Array("ICC_PROFILE".utf8) + [0, 1, 1] + Array("profile".utf8))
    static let adobe = segment(0xEE, Array("Adobe".utf8) + [0, 100, 0, 0, 0, 0, 1])
    static let quantisation = segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
    static let scanHeader = segment(0xDA, [0x01, 0x01, 0x00, 0x00, 0x3F, 0x00])
    /// Entropy-coded data with a stuffed `FF 00`, a restart marker and fill bytes, none of which ends the image.
    static let scanData: [UInt8] = [0x3F, 0xFF, 0x00, 0x12, 0xFF, 0xD0, 0x34, 0xFF, 0xFF, 0x00, 0x56]

    /// A marker segment: `FF`, the marker, the length (payload + 2) and the payload.
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let length = payload.count + 2
        return [0xFF, marker, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
    }

    /// An Exif APP1 segment in big-endian order whose IFD0 holds a camera make, the orientation, a serial-like
    /// artist string (out of line) and a GPS IFD pointer.
    static func exif(orientation: UInt8) -> [UInt8] {
        var tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x04]
        tiff += [0x01, 0x0F, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04] + Array("Cam".utf8) + [0]
        tiff += [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00]
        tiff += [0x01, 0x3B, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x3E]
        tiff += [0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]
        tiff += [0x00, 0x00, 0x00, 0x00] + Array("Jane Doe SN1".utf8)
        return segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff)
    }

    static let metadata: [UInt8] =
        segment(0xE1, Array("http://ns.adobe.com/xap/1.0/".utf8) + [0] + Array("<x:xmpmeta/>".utf8))
        + segment(0xE1, Array("http://ns.adobe.com/xmp/extension/".utf8) + [0] + Array("more".utf8))
        + segment(0xED, Array("Photoshop 3.0".utf8) + [0] + Array("8BIM-iptc".utf8))
        + segment(0xFE, Array("owner: Jane Doe".utf8))
        + segment(0xE2, Array("MPF".utf8) + [0, 1, 2])
        + segment(0xE9, Array("vendor serial 123".utf8))

    @Test func dropsMetadataAndKeepsTheImageAndTheOrientation() throws {
        let input =
            Self.soi + Self.jfif + Self.exif(orientation: 6) + Self.metadata + Self.icc + Self.adobe + Self.quantisation
            + Self.scanHeader + Self.scanData + Self.eoi + Array("appended image with Exif".utf8)
        let orientationOnly: [UInt8] =
            [0xFF, 0xE1, 0x00, 0x22] + Array("Exif".utf8) + [0, 0, 0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08]
            + [0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let expected =
            Self.soi + Self.jfif + orientationOnly + Self.icc + Self.adobe + Self.quantisation + Self.scanHeader
            + Self.scanData + Self.eoi
        for result in StripperRun.stripInEveryChunking(input, as: .jpeg) {
            #expect(try result.get() == StripperRun(bytes: expected, removedMetadata: true))
        }
    }

    @Test func keepsALittleEndianOrientationInItsByteOrder() throws {
        let tiff: [UInt8] =
            [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00]
            + [0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        let input = Self.soi + Self.segment(0xE1, Array("Exif".utf8) + [0, 0] + tiff) + Self.scanHeader + Self.scanData + Self.eoi
        let stripped = try StripperRun.strip(input, as: .jpeg, chunkSize: 3).get()
        #expect(stripped.bytes == input)
        #expect(stripped.removedMetadata)
    }

    @Test func dropsAnUprightOrientationAltogether() throws {
        let input = Self.soi + Self.exif(orientation: 1) + Self.scanHeader + Self.scanData + Self.eoi
        let stripped = try StripperRun.strip(input, as: .jpeg, chunkSize: 5).get()
        #expect(stripped == StripperRun(bytes: Self.soi + Self.scanHeader + Self.scanData + Self.eoi, removedMetadata: true))
    }

    @Test func leavesAFileWithoutMetadataUnchanged() throws {
        for input in [Samples.jpeg, Self.soi + Self.jfif + Self.icc + Self.quantisation + Self.scanHeader + Self.scanData + Self.eoi] {
            for result in StripperRun.stripInEveryChunking(input, as: .jpeg) {
                #expect(try result.get() == StripperRun(bytes: input, removedMetadata: false))
            }
        }
    }

    static let brokenFiles: [(String, [UInt8])] = [
        ("no start of image", [0xFF, 0xD9] + jfif + eoi),
        ("a length under 2", soi + [0xFF, 0xE1, 0x00, 0x01] + eoi),
        ("a segment without a marker", soi + jfif + [0x12, 0x34] + eoi),
        ("a second start of image", soi + soi + eoi),
        ("cut inside a segment", soi + Array(exif(orientation: 6).prefix(20))),
        ("cut inside the scan", soi + scanHeader + scanData),
        ("a segment longer than the file", soi + [0xFF, 0xE1, 0xFF, 0xFF] + Array("Exif".utf8)),
    ]

    @Test(arguments: brokenFiles)
    func refusesBrokenStructure(_ name: String, _ input: [UInt8]) {
        #expect(StripperRun.rejectionCodes(input, as: .jpeg).allSatisfy { $0 == "invalid_image" }, "\(name)")
    }
}
