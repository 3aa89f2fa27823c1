import ContentValidation
import Documents
import Testing

/// HEIC stripping on hand-built ISOBMFF files: the Exif and XMP items' bytes are overwritten in place wherever `iloc`
/// puts them (in `mdat` or in `idat`), every other byte and every size stays, and files whose metadata cannot be
/// reached while streaming, or whose boxes are broken, are refused.
@Suite struct HEICMetadataStripperTests {
    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        be(payload.count + 8, 4) + Array(type.utf8) + payload
    }

    static func be(_ value: Int, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static let fileType = box("ftyp", Array("heic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8))
    static let exif = [0, 0, 0, 6] + Array("Exif".utf8) + [0, 0] + Array("MM\0*GPS 52.52 SN-4711 Jane Doe".utf8)
    static let xmp = Array("<x:xmpmeta><dc:creator>Jane Doe</dc:creator></x:xmpmeta>".utf8)
    static let pixels = [UInt8](repeating: 0xA5, count: 40)

    /// `infe` version 2 for item `id` of `type` (and a content type for `mime`).
    static func entry(_ id: Int, _ type: String, contentType: String? = nil) -> [UInt8] {
        box("infe", [2, 0, 0, 0] + be(id, 2) + [0, 0] + Array(type.utf8) + [0] + (contentType.map { Array($0.utf8) + [0] } ?? []))
    }

    static let itemInfo = box(
        "iinf",
        [0, 0, 0, 0, 0, 3] + entry(1, "hvc1") + entry(2, "Exif") + entry(3, "mime", contentType: "application/rdf+xml")
    )

    /// `iloc` version 1 (4-byte offsets and lengths, no base offset) with one extent per item: (id, method, offset, length).
    static func locations(_ items: [(Int, Int, Int, Int)]) -> [UInt8] {
        var payload: [UInt8] = [1, 0, 0, 0, 0x44, 0x00] + be(items.count, 2)
        for (id, method, offset, length) in items {
            payload += be(id, 2) + be(method, 2) + [0, 0] + [0, 1] + be(offset, 4) + be(length, 4)
        }
        return box("iloc", payload)
    }

    /// ftyp, meta (hdlr, iinf, iloc for the items in `mdat`), mdat holding pixels, Exif and XMP in that order.
    static func file(locating: (_ mdatData: Int) -> [(Int, Int, Int, Int)]) -> (bytes: [UInt8], mdatData: Int) {
        func meta(_ items: [(Int, Int, Int, Int)]) -> [UInt8] {
            box(
                "meta",
                [0, 0, 0, 0] + box("hdlr", [0, 0, 0, 0, 0, 0, 0, 0] + Array("pict".utf8) + [UInt8](repeating: 0, count: 13)) + itemInfo
                    + locations(items)
            )
        }
        let mdatData = fileType.count + meta(locating(0)).count + 8
        return (fileType + meta(locating(mdatData)) + box("mdat", pixels + exif + xmp), mdatData)
    }

    static let standard = file { data in
        [(1, 0, data, pixels.count), (2, 0, data + pixels.count, exif.count), (3, 0, data + pixels.count + exif.count, xmp.count)]
    }

    static func neutralised(_ count: Int, _ prefix: [UInt8], padding: UInt8) -> [UInt8] {
        Array((prefix + [UInt8](repeating: padding, count: max(0, count - prefix.count))).prefix(count))
    }

    static let emptyExif: [UInt8] = [0, 0, 0, 0, 0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
    static let emptyXMP = Array(#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>"#.utf8)

    @Test func overwritesTheExifAndXMPItemsInMediaDataAndKeepsEveryOtherByte() throws {
        let (input, data) = Self.standard
        var expected = input
        expected.replaceSubrange(
            (data + Self.pixels.count)..<(data + Self.pixels.count + Self.exif.count),
            with: Self.neutralised(Self.exif.count, Self.emptyExif, padding: 0)
        )
        expected.replaceSubrange((input.count - Self.xmp.count)..<input.count, with: Self.neutralised(Self.xmp.count, Self.emptyXMP, padding: 0x20))
        for result in StripperRun.stripInEveryChunking(input, as: .heic) {
            #expect(try result.get() == StripperRun(bytes: expected, removedMetadata: true))
        }
    }

    @Test func overwritesAnItemSplitOverExtentsAndOneInIdat() throws {
        let inIdat = Array("Jane Doe in idat".utf8)
        /// The Exif item in two extents of `mdat` (from `start`, with 12 other bytes between), the XMP item in `idat`.
        func meta(_ start: Int) -> [UInt8] {
            let exifExtents = Self.be(start, 4) + Self.be(8, 4) + Self.be(start + 20, 4) + Self.be(Self.exif.count - 8, 4)
            let xmpExtent = Self.be(0, 4) + Self.be(inIdat.count, 4)
            let iloc =
                [1, 0, 0, 0, 0x44, 0x00, 0, 2] + Self.be(2, 2) + [0, 0, 0, 0, 0, 2] + exifExtents + Self.be(3, 2) + [0, 1, 0, 0, 0, 1] + xmpExtent
            return Self.box("meta", [0, 0, 0, 0] + Self.itemInfo + Self.box("iloc", iloc) + Self.box("idat", inIdat))
        }
        let start = Self.fileType.count + meta(0).count + 8
        let between = [UInt8](repeating: 7, count: 12)
        let input = Self.fileType + meta(start) + Self.box("mdat", Array(Self.exif[0..<8]) + between + Array(Self.exif[8...]))
        let exif = Self.neutralised(Self.exif.count, Self.emptyExif, padding: 0)
        let expected =
            Self.fileType + Array(meta(start).dropLast(inIdat.count)) + Self.neutralised(inIdat.count, Self.emptyXMP, padding: 0x20)
            + Self.box("mdat", Array(exif[0..<8]) + between + Array(exif[8...]))
        for result in StripperRun.stripInEveryChunking(input, as: .heic) {
            #expect(try result.get() == StripperRun(bytes: expected, removedMetadata: true))
        }
    }

    @Test func leavesAFileWithoutMetadataItemsUnchanged() throws {
        let (input, _) = Self.file { data in [(1, 0, data, Self.pixels.count)] }
        for result in StripperRun.stripInEveryChunking(input, as: .heic) {
            #expect(try result.get() == StripperRun(bytes: input, removedMetadata: false))
        }
    }

    @Test func blanksWhatPillowHEIFWrote() throws {
        let input = RealImageSamples.heicWithExifAndXMP
        let stripped = try StripperRun.strip(input, as: .heic, chunkSize: 100).get()
        #expect(stripped.removedMetadata)
        #expect(stripped.bytes.count == input.count)
        for secret in ["Jane Doe", "SN-4711"] {
            #expect(input.contains(subsequence: Array(secret.utf8)))
            #expect(!stripped.bytes.contains(subsequence: Array(secret.utf8)))
        }
        #expect(stripped.bytes.contains(subsequence: Array("irot".utf8)))
    }

    static let brokenFiles: [(String, [UInt8])] = [
        ("no ftyp first", box("mdat", pixels) + fileType),
        ("mdat before meta", fileType + box("mdat", pixels) + Array(standard.bytes.dropFirst(fileType.count))),
        ("no meta", fileType + box("mdat", pixels)),
        ("an item before meta", file { _ in [(2, 0, 4, 8)] }.bytes),
        ("an item past the end", file { data in [(2, 0, data, 1000)] }.bytes),
        ("an item built from other items", file { data in [(2, 2, data, 8)] }.bytes),
        ("an item without a length", file { data in [(2, 0, data, 0)] }.bytes),
        ("a box smaller than its header", fileType + [0, 0, 0, 4] + Array("free".utf8)),
        ("cut inside a box", Array(standard.bytes.dropLast(5))),
        ("a damaged iinf", fileType + box("meta", [0, 0, 0, 0] + box("iinf", [0, 0, 0, 0, 0, 1] + box("infe", [2, 0, 0, 0, 0])))),
    ]

    @Test(arguments: brokenFiles)
    func refusesWhatCannotBeStrippedWhileStreaming(_ name: String, _ input: [UInt8]) {
        #expect(StripperRun.rejectionCodes(input, as: .heic).allSatisfy { $0 == "invalid_image" }, "\(name)")
    }
}
