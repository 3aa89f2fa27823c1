/// Strips a WebP of its `EXIF` and `XMP ` chunks and clears their flags in `VP8X`; every other chunk (the image data,
/// `ALPH`, `ANIM`/`ANMF`, the `ICCP` colour profile, unknown chunks) is copied byte for byte (the WebP container
/// specification, RIFF chunks with little-endian sizes padded to even lengths). An Exif orientation other than 1 is
/// kept in a minimal `EXIF` chunk of its own (``ExifOrientation``), with its flag set, so the photo still shows
/// upright: WebP has no orientation outside Exif. Bytes after the RIFF's end are dropped.
///
/// The RIFF header states the file's size and comes first, while the metadata chunks come last, after the image data:
/// removing them changes that size, so the header cannot be written before the last chunk has been seen. The stripper
/// therefore holds the file and releases it, rewritten, in the call that completes the size the header declared (the
/// chunk headers are checked as they arrive, so a broken file is refused early). What it holds is bounded by the bytes
/// that arrived, never by the declared size: every caller runs the upload inspector first, which refuses an image over
/// the image limit (`MEDVAULT_MAX_IMAGE_MB`, 10 MiB by default) before its bytes reach the stripper.
struct WebPMetadataStripper: MetadataStripper {
    static let riff = Array("RIFF".utf8)
    static let webp = Array("WEBP".utf8)
    static let extended = Array("VP8X".utf8)
    static let exif = Array("EXIF".utf8)
    static let xmp = Array("XMP ".utf8)
    /// The chunks a WebP's image data can start with.
    static let firstChunks: Set<[UInt8]> = [Array("VP8 ".utf8), Array("VP8L".utf8), extended]
    /// `VP8X` flag bits (in its first payload byte) announcing Exif and XMP.
    static let exifFlag: UInt8 = 0x08
    static let xmpFlag: UInt8 = 0x04

    /// The bytes of the file so far, up to its declared end.
    private var held: [UInt8] = []
    /// 8 + the RIFF size, once the header has arrived.
    private var end: Int?
    /// Where the next chunk header starts in ``held``.
    private var nextChunk = 12
    private var complete = false
    private(set) var removedMetadata = false

    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) -> [UInt8] {
        guard !complete else {
            if !bytes.isEmpty { removedMetadata = true }
            return []
        }
        let room = end.map { $0 - held.count } ?? bytes.count
        held.append(contentsOf: bytes.prefix(room))
        if end == nil, held.count >= 12 { try readHeader() }
        guard let end else { return [] }
        if held.count > end {
            held.removeLast(held.count - end)
            removedMetadata = true
        }
        while nextChunk + 8 <= held.count {
            let size = Self.littleEndian(held[(nextChunk + 4)..<(nextChunk + 8)])
            let chunkEnd = nextChunk + 8 + size + size % 2
            guard chunkEnd <= end else { throw .invalidImage("a WebP chunk runs past the end its RIFF header declares") }
            nextChunk = chunkEnd
        }
        guard held.count == end else { return [] }
        guard nextChunk == end else { throw .invalidImage("a WebP chunk header is cut by the end of the RIFF") }
        complete = true
        return try rewritten()
    }

    func finish() throws(UploadRejection) {
        guard complete else { throw .invalidImage("the WebP ends before the size its RIFF header declares") }
    }

    /// Checks `RIFF`, the size and `WEBP`, and learns where the file ends.
    private mutating func readHeader() throws(UploadRejection) {
        guard Array(held[0..<4]) == Self.riff, Array(held[8..<12]) == Self.webp else {
            throw .invalidImage("the WebP does not start with a RIFF WEBP header")
        }
        let size = Self.littleEndian(held[4..<8])
        guard size >= 4 + 8 else { throw .invalidImage("the WebP's RIFF size leaves no room for a chunk") }
        end = 8 + size
    }

    /// The file without its metadata chunks, with the `VP8X` flags and the RIFF size made to match.
    private mutating func rewritten() throws(UploadRejection) -> [UInt8] {
        var out = Array(held[0..<12])
        var extendedFlags: Int?
        var keptOrientation = false
        var offset = 12
        while offset < held.count {
            let type = Array(held[offset..<(offset + 4)])
            let size = Self.littleEndian(held[(offset + 4)..<(offset + 8)])
            let chunkEnd = offset + 8 + size + size % 2
            defer { offset = chunkEnd }
            if offset == 12, !Self.firstChunks.contains(type) { throw .invalidImage("a WebP does not start with image data or VP8X") }
            guard type == Self.exif || type == Self.xmp else {
                if type == Self.extended, size >= 1 { extendedFlags = out.count + 8 }
                out += held[offset..<chunkEnd]
                continue
            }
            removedMetadata = true
            guard type == Self.exif, !keptOrientation, let orientation = Self.orientation(in: held[(offset + 8)..<(offset + 8 + size)]) else {
                continue
            }
            let tiff = orientation.tiff
            out += Self.exif + Self.littleEndianBytes(tiff.count) + tiff + (tiff.count % 2 == 1 ? [0] : [])
            keptOrientation = true
        }
        if let extendedFlags {
            out[extendedFlags] &= ~(Self.exifFlag | Self.xmpFlag)
            if keptOrientation { out[extendedFlags] |= Self.exifFlag }
        }
        out.replaceSubrange(4..<8, with: Self.littleEndianBytes(out.count - 8))
        return out
    }

    /// The orientation in an `EXIF` chunk's payload (a TIFF structure, which some writers prefix with `Exif\0\0`), when
    /// it is not 1.
    static func orientation(in payload: ArraySlice<UInt8>) -> ExifOrientation? {
        let tiff = payload.starts(with: JPEGMetadataStripper.exifSignature) ? payload.dropFirst(JPEGMetadataStripper.exifSignature.count) : payload
        guard let orientation = ExifOrientation(tiff: tiff), orientation.value != 1 else { return nil }
        return orientation
    }

    static func littleEndian(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    static func littleEndianBytes(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
