import Documents

/// The brands of an ISO base-media file (MP4, QuickTime MOV, HEIF): its leading `ftyp` box names a major brand, the
/// specification the file is written to, and the compatible brands it also conforms to (ISO/IEC 14496-12 §4.3).
///
/// libmagic decides from the major brand alone, so a file whose major brand is `isom` but which declares itself an
/// HEIF image is "video/mp4" to it. Before an .mp4 or .mov is accepted, ``confirm(_:head:)`` checks the brands:
/// - the major brand must be one of the type's own (``mp4Brands``, ``quickTimeBrands``): a 3GP, an M4A/M4B audio
///   file or a HEIC photo named .mp4 is refused;
/// - no brand, major or compatible, may be an HEIF image or an audio-only brand (``foreignBrands``). 3GPP brands are
///   tolerated among the compatible ones, since phone cameras list them in genuine MP4 videos.
struct FileTypeBrands: Equatable {
    /// The brands an MP4 video is written to: the ISO base-media family, MP4 versions 1 and 2, AVC and iTunes video.
    static let mp4Brands: Set<String> = ["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V "]
    /// QuickTime's one brand.
    static let quickTimeBrands: Set<String> = ["qt  "]
    /// Brands that make a file something other than a video: HEIF/AVIF images and image sequences, audio-only MP4.
    static let foreignBrands: Set<String> = [
        "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis",
        "M4A ", "M4B ", "M4P ", "F4A ", "F4B ",
    ]

    let major: String
    let compatible: [String]

    /// Reads the `ftyp` box that starts `head`; `nil` when there is none or it does not fit in `head`.
    init?(head: [UInt8]) {
        guard head.count >= 16, Array(head[4..<8]) == Array("ftyp".utf8) else { return nil }
        let size = head[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard size >= 16, size <= head.count, (size - 16) % 4 == 0 else { return nil }
        major = Self.brand(head[8..<12])
        compatible = stride(from: 16, to: size, by: 4).map { Self.brand(head[$0..<($0 + 4)]) }
    }

    /// Confirms that the `ftyp` brands of `head` make it a genuine `type` (.mp4 or .mov); other types pass.
    static func confirm(_ type: AllowedType, head: [UInt8]) throws(UploadRejection) {
        let own: Set<String>
        switch type {
        case .mp4: own = mp4Brands
        case .mov: own = quickTimeBrands
        default: return
        }
        guard let brands = FileTypeBrands(head: head) else {
            throw .unsupportedType("file content has no readable ftyp box, so it cannot be a .\(type.rawValue) file")
        }
        if let foreign = ([brands.major] + brands.compatible).first(where: foreignBrands.contains) {
            throw .typeMismatch("file content declares the brand '\(shown(foreign))', which is not a video, but the name says .\(type.rawValue)")
        }
        guard own.contains(brands.major) else {
            throw .typeMismatch("file content has the major brand '\(shown(brands.major))', which is not a .\(type.rawValue) video brand")
        }
    }

    /// Four bytes as text (brands are printable ASCII; anything else becomes `?`, so a message stays safe to show).
    private static func brand(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    private static func shown(_ brand: String) -> String {
        String(brand.filter { $0.isLetter || $0.isNumber || $0 == " " })
    }
}
