/// Where a HEIC's Exif and XMP items lie in the file, read from its `meta` box: the items whose `infe` says `Exif`, or
/// `mime` with the content type `application/rdf+xml`, located through `iloc` (ISO/IEC 23008-12 §6.5 and §A.2.1 for
/// the items, ISO/IEC 14496-12 §8.11.3 and §8.11.6 for `iloc` and `infe`).
///
/// An extent is a byte range of the file: construction method 0 counts from the file's start, method 1 from the start
/// of the `idat` box's data inside `meta`. Method 2 (an item built from another item) and an extent without a length
/// (to the end of the file) cannot be neutralised in place and are refused; an item stored in another file (a data
/// reference other than 0) has no bytes here.
struct HEIFMetadataItems {
    enum Kind {
        case exif
        case xmp
    }

    /// One extent of a metadata item: `length` bytes of the file from `offset`, which hold the item's data from
    /// `itemOffset` on.
    struct Extent: Equatable {
        let kind: Kind
        let offset: Int
        let length: Int
        let itemOffset: Int
    }

    /// One item of `iloc`.
    private struct Location {
        let id: Int
        let method: Int
        let reference: Int
        let base: Int
        let extents: [(offset: Int, length: Int)]
    }

    private(set) var extents: [Extent] = []

    /// Reads a whole `meta` box, `headerSize` bytes of size and type then its payload, that starts `metaStart` bytes
    /// into the file.
    init(meta: [UInt8], headerSize: Int, at metaStart: Int) throws(UploadRejection) {
        var reader = BoxReader(meta[headerSize...])
        try reader.skip(4)
        var kinds: [Int: Kind] = [:]
        var locations: [Location] = []
        var idatStart: Int?
        while !reader.isAtEnd {
            let (type, box) = try reader.box()
            switch type {
            case "iinf": kinds = try Self.itemKinds(box)
            case "iloc": locations = try Self.locations(box)
            case "idat": idatStart = metaStart + box.startIndex
            default: continue
            }
        }
        for location in locations where location.reference == 0 {
            guard let kind = kinds[location.id] else { continue }
            let origin: Int
            switch location.method {
            case 0: origin = 0
            case 1:
                guard let idatStart else { throw .invalidImage("a HEIC metadata item lies in an idat box the meta box lacks") }
                origin = idatStart
            default: throw .invalidImage("a HEIC metadata item is built from other items")
            }
            var itemOffset = 0
            for extent in location.extents {
                guard extent.length > 0 else { throw .invalidImage("a HEIC metadata item's extent has no length") }
                extents.append(Extent(kind: kind, offset: origin + location.base + extent.offset, length: extent.length, itemOffset: itemOffset))
                itemOffset += extent.length
            }
        }
    }

    /// The item ids of `iinf` whose type is Exif or XMP.
    private static func itemKinds(_ payload: ArraySlice<UInt8>) throws(UploadRejection) -> [Int: Kind] {
        var reader = BoxReader(payload)
        let version = try reader.integer(1)
        try reader.skip(3)
        try reader.skip(version == 0 ? 2 : 4)
        var kinds: [Int: Kind] = [:]
        while !reader.isAtEnd {
            let (type, box) = try reader.box()
            guard type == "infe" else { continue }
            var entry = BoxReader(box)
            let entryVersion = try entry.integer(1)
            guard entryVersion >= 2 else { continue }
            try entry.skip(3)
            let id = try entry.integer(entryVersion == 2 ? 2 : 4)
            try entry.skip(2)
            let itemType = try entry.fourCC()
            _ = try entry.string()
            if itemType == "Exif" {
                kinds[id] = .exif
            } else if itemType == "mime", try entry.string() == "application/rdf+xml" {
                kinds[id] = .xmp
            }
        }
        return kinds
    }

    /// Every item of `iloc` with its construction method, data reference, base offset and extents.
    private static func locations(_ payload: ArraySlice<UInt8>) throws(UploadRejection) -> [Location] {
        var reader = BoxReader(payload)
        let version = try reader.integer(1)
        guard version <= 2 else { throw .invalidImage("a HEIC iloc box has an unknown version") }
        try reader.skip(3)
        let sizes = try reader.integer(1)
        let moreSizes = try reader.integer(1)
        let (offsetSize, lengthSize, baseSize) = (sizes >> 4, sizes & 0xF, moreSizes >> 4)
        let indexSize = version == 0 ? 0 : moreSizes & 0xF
        let count = try reader.integer(version < 2 ? 2 : 4)
        var items: [Location] = []
        for _ in 0..<count {
            let id = try reader.integer(version < 2 ? 2 : 4)
            let method = version == 0 ? 0 : try reader.integer(2) & 0xF
            let reference = try reader.integer(2)
            let base = try reader.integer(baseSize)
            var extents: [(offset: Int, length: Int)] = []
            for _ in 0..<(try reader.integer(2)) {
                try reader.skip(indexSize)
                extents.append((try reader.integer(offsetSize), try reader.integer(lengthSize)))
            }
            items.append(Location(id: id, method: method, reference: reference, base: base, extents: extents))
        }
        return items
    }
}
