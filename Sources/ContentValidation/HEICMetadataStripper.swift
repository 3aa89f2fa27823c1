/// Neutralises a HEIC's Exif and XMP items in place, without re-encoding the pixels or moving a byte (ISO/IEC 23008-12
/// HEIF in the ISO base media file format, ISO/IEC 14496-12).
///
/// `iloc` locates items by absolute file offsets, so removing bytes would mean rewriting every offset after them;
/// instead every size and offset is kept and the metadata items' bytes are overwritten: the Exif item becomes a valid,
/// empty Exif block (a zero TIFF-header offset, a TIFF header whose IFD0 has no entries, zero padding) and the XMP
/// item an empty XMP packet padded with spaces, so readers still find well-formed items with nothing in them. The
/// orientation lives in the `irot` and `imir` properties, which are kept (HEIF readers ignore Exif's).
///
/// Only the `meta` box is held (at most ``maximumMetaSize``); every other box streams through. The items' extents are
/// known once `meta` has been read, so they must lie after its start: a file whose `mdat` comes before `meta`, or
/// whose metadata lies before it, is refused (`invalid_image`) rather than buffered, as is one whose items reach past
/// its end. Phones and libheif write `meta` first.
struct HEICMetadataStripper: MetadataStripper {
    private enum State {
        /// Reading a top-level box header (8 bytes, or 16 with a 64-bit size) into ``held``.
        case header
        /// Holding the `meta` box; `size` bytes in all, `headerSize` of them size and type.
        case meta(size: Int, headerSize: Int)
        /// Copying `remaining` bytes of a box (nil: the box runs to the end of the file).
        case body(remaining: Int?)
    }

    /// The most of a `meta` box held: item information, locations and properties are a few kilobytes even for a
    /// 48-tile phone photo.
    static let maximumMetaSize = 1 << 22
    /// An Exif item's data, neutralised: a TIFF header offset of 0, then `MM`, 42, IFD0 at 8 with no entries and no
    /// next IFD. Zeros follow.
    static let emptyExif: [UInt8] = [0, 0, 0, 0, 0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
    /// An XMP item's data, neutralised: an empty packet. Spaces follow (XMP packets are padded with whitespace).
    static let emptyXMP = Array(
        #"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>"#.utf8
    )

    private var state = State.header
    private var held: [UInt8] = []
    /// The file offset of the next byte to consume.
    private var position = 0
    private var sawFileType = false
    private var sawMediaData = false
    /// The metadata items' extents, once `meta` has been read; nil before.
    private var items: [HEIFMetadataItems.Extent]?
    private(set) var removedMetadata = false

    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .header:
                held.append(bytes[index])
                index += 1
                try readHeader(into: &out)
            case .meta(let size, let headerSize):
                let take = min(size - held.count, bytes.endIndex - index)
                held.append(contentsOf: bytes[index..<(index + take)])
                index += take
                if held.count == size { try endMeta(headerSize: headerSize, into: &out) }
            case .body(let remaining):
                let take = min(remaining ?? Int.max, bytes.endIndex - index)
                emit(bytes[index..<(index + take)], into: &out)
                index += take
                if let remaining { state = remaining == take ? .header : .body(remaining: remaining - take) }
            }
        }
        return out
    }

    func finish() throws(UploadRejection) {
        switch state {
        case .header where held.isEmpty, .body(remaining: nil): break
        default: throw .invalidImage("the HEIC ends inside a box")
        }
        guard let items else { throw .invalidImage("the HEIC has no meta box") }
        guard items.allSatisfy({ $0.offset + $0.length <= position }) else {
            throw .invalidImage("a HEIC metadata item lies past the end of the file")
        }
    }

    /// One more byte of a box header: once it is complete, decide what to do with the box.
    private mutating func readHeader(into out: inout [UInt8]) throws(UploadRejection) {
        guard held.count >= 8 else { return }
        var size = held[0..<4].reduce(0) { $0 << 8 | Int($1) }
        if size == 1 {
            guard held.count == 16 else { return }
            size = held[8..<16].reduce(0) { $0 << 8 | Int($1) }
        }
        let headerSize = held.count
        let type = String(decoding: held[4..<8], as: UTF8.self)
        guard sawFileType || type == "ftyp" else { throw .invalidImage("the HEIC does not start with an ftyp box") }
        guard size == 0 || size >= headerSize else { throw .invalidImage("a HEIC box declares a size under its header's") }
        sawFileType = true
        switch type {
        case "meta":
            guard items == nil else { throw .invalidImage("the HEIC has two meta boxes") }
            guard !sawMediaData else { throw .invalidImage("the HEIC's mdat comes before its meta box") }
            guard size > 0, size <= Self.maximumMetaSize else { throw .invalidImage("the HEIC's meta box is larger than any photo's") }
            state = .meta(size: size, headerSize: headerSize)
            return
        case "mdat":
            sawMediaData = true
        default:
            break
        }
        let header = held
        held = []
        emit(header[...], into: &out)
        state = size == 0 ? .body(remaining: nil) : (size == headerSize ? .header : .body(remaining: size - headerSize))
    }

    /// The `meta` box is complete (in ``held``): locate its metadata items, then release it with them neutralised.
    private mutating func endMeta(headerSize: Int, into out: inout [UInt8]) throws(UploadRejection) {
        let located = try HEIFMetadataItems(meta: held, headerSize: headerSize, at: position).extents
        guard located.allSatisfy({ $0.offset >= position }) else { throw .invalidImage("a HEIC metadata item lies before the meta box") }
        items = located
        removedMetadata = !located.isEmpty
        let meta = held
        held = []
        state = .header
        emit(meta[...], into: &out)
    }

    /// Appends `bytes`, the file's next ones, with whatever part of a metadata item they hold overwritten.
    private mutating func emit(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        let (start, base) = (position, out.count)
        out += bytes
        position += bytes.count
        for item in items ?? [] where item.offset < position && item.offset + item.length > start {
            for offset in max(item.offset, start)..<min(item.offset + item.length, position) {
                out[base + offset - start] = Self.neutral(item.kind, at: item.itemOffset + offset - item.offset)
            }
        }
    }

    /// The byte that replaces the `index`th of a metadata item's data.
    static func neutral(_ kind: HEIFMetadataItems.Kind, at index: Int) -> UInt8 {
        switch kind {
        case .exif: index < emptyExif.count ? emptyExif[index] : 0
        case .xmp: index < emptyXMP.count ? emptyXMP[index] : 0x20
        }
    }
}
