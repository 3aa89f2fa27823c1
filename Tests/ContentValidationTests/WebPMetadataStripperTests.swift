import ContentValidation
import Documents
import Testing

/// WebP stripping on hand-built files: `EXIF` and `XMP ` chunks go with their `VP8X` flags, the image data and the
/// ICC profile stay byte for byte, the RIFF size follows, an orientation survives in a minimal `EXIF` chunk, and
/// broken RIFF structure is refused.
@Suite struct WebPMetadataStripperTests {
    /// A chunk: its FourCC, little-endian size and payload, padded to an even length.
    static func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        Array(type.utf8) + size(payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
    }

    static func size(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func riff(_ chunks: [UInt8]) -> [UInt8] {
        Array("RIFF".utf8) + size(chunks.count + 4) + Array("WEBP".utf8) + chunks
    }

    /// `VP8X` with the given flags on a 1×1 canvas.
    static func extended(flags: UInt8) -> [UInt8] {
        chunk("VP8X", [flags, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    static let icc = chunk("ICCP", Array("colour profile".utf8))
    static let pixels = chunk("VP8L", [0x2F, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07])
    static let xmp = chunk("XMP ", Array("<x:xmpmeta><dc:creator>Jane Doe</dc:creator></x:xmpmeta>".utf8))

    /// A big-endian TIFF whose IFD0 holds the orientation and an artist string naming the owner.
    static func exifTIFF(orientation: UInt8) -> [UInt8] {
        [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x02]
            + [0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00]
            + [0x01, 0x3B, 0x00, 0x02, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x26]
            + [0x00, 0x00, 0x00, 0x00] + Array("Jane Doe".utf8) + [0]
    }

    @Test func dropsExifAndXMPAndTheirFlagsAndKeepsTheImageAndICC() throws {
        let input = Self.riff(Self.extended(flags: 0x2C) + Self.icc + Self.pixels + Self.chunk("EXIF", Self.exifTIFF(orientation: 1)) + Self.xmp)
        let expected = Self.riff(Self.extended(flags: 0x20) + Self.icc + Self.pixels)
        for result in StripperRun.stripInEveryChunking(input, as: .webp) {
            #expect(try result.get() == StripperRun(bytes: expected, removedMetadata: true))
        }
    }

    @Test func keepsAnOrientationInAMinimalExifChunk() throws {
        let orientationOnly: [UInt8] =
            [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01]
            + [0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        for prefix in [[], Array("Exif".utf8) + [0, 0]] {
            let input = Self.riff(Self.extended(flags: 0x0C) + Self.pixels + Self.xmp + Self.chunk("EXIF", prefix + Self.exifTIFF(orientation: 6)))
            let expected = Self.riff(Self.extended(flags: 0x08) + Self.pixels + Self.chunk("EXIF", orientationOnly))
            for result in StripperRun.stripInEveryChunking(input, as: .webp) {
                #expect(try result.get() == StripperRun(bytes: expected, removedMetadata: true))
            }
        }
    }

    @Test func dropsWhatFollowsTheRIFF() throws {
        let image = Self.riff(Self.pixels)
        let stripped = try StripperRun.strip(image + Array("appended GPS".utf8), as: .webp, chunkSize: 7).get()
        #expect(stripped == StripperRun(bytes: image, removedMetadata: true))
    }

    @Test func leavesAFileWithoutMetadataUnchanged() throws {
        for input in [Samples.webp, Self.riff(Self.extended(flags: 0x20) + Self.icc + Self.pixels + Self.chunk("UNKN", [1, 2, 3]))] {
            for result in StripperRun.stripInEveryChunking(input, as: .webp) {
                #expect(try result.get() == StripperRun(bytes: input, removedMetadata: false))
            }
        }
    }

    @Test func stripsAWebPThatPillowWrote() throws {
        let input = RealImageSamples.webpWithExifAndXMP
        let stripped = try StripperRun.strip(input, as: .webp, chunkSize: 100).get()
        #expect(stripped.removedMetadata)
        #expect(!stripped.bytes.contains(subsequence: Array("Jane Doe".utf8)))
        #expect(!stripped.bytes.contains(subsequence: Array("SN-4711".utf8)))
        #expect(stripped.bytes.contains(subsequence: Array("ICCP".utf8)))
        #expect(try StripperRun.strip(stripped.bytes, as: .webp, chunkSize: 9).get().bytes == stripped.bytes)
    }

    static let brokenFiles: [(String, [UInt8])] = [
        ("not RIFF", Array("RIFX".utf8) + Array(riff(pixels).dropFirst(4))),
        ("not WEBP", Array(riff(pixels).prefix(8)) + Array("AVI ".utf8) + pixels),
        ("a RIFF size with no room for a chunk", Array("RIFF".utf8) + size(4) + Array("WEBP".utf8)),
        ("a chunk longer than the RIFF", riff(Array("VP8L".utf8) + size(1000) + [1, 2, 3, 4])),
        ("a chunk header cut by the RIFF's end", riff(pixels + [0x45, 0x58])),
        ("cut short", Array(riff(pixels).dropLast(3))),
        ("metadata before any image data", riff(chunk("EXIF", exifTIFF(orientation: 6)) + pixels)),
    ]

    @Test(arguments: brokenFiles)
    func refusesBrokenStructure(_ name: String, _ input: [UInt8]) {
        #expect(StripperRun.rejectionCodes(input, as: .webp).allSatisfy { $0 == "invalid_image" }, "\(name)")
    }
}

extension [UInt8] {
    /// Whether `needle` occurs anywhere in the bytes.
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
