/// Strips a PNG of its metadata chunks (`eXIf`, `tEXt`, `zTXt`, `iTXt`, `tIME`) and of anything after `IEND`; every
/// other chunk is copied byte for byte, CRC included (PNG specification, 3rd edition, §5.3 and §11.3).
///
/// Only the 8-byte signature and each 8-byte chunk header are held; chunk data streams straight through (or is
/// skipped), so a large `IDAT` costs no memory.
struct PNGMetadataStripper: MetadataStripper {
    private enum State {
        case signature
        case chunkHeader
        /// Inside a chunk's data and CRC: `remaining` bytes to copy (`kept`) or skip; `last` after `IEND`.
        case chunkBody(remaining: Int, kept: Bool, last: Bool)
        /// After `IEND`: nothing more belongs to the image.
        case trailer
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The chunk types that carry identifying text, Exif or a timestamp.
    static let droppedTypes: Set<[UInt8]> = Set(["eXIf", "tEXt", "zTXt", "iTXt", "tIME"].map { Array($0.utf8) })

    private var state = State.signature
    private var held: [UInt8] = []
    private(set) var removedMetadata = false

    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(UploadRejection) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .signature, .chunkHeader:
                held.append(bytes[index])
                index += 1
                if held.count == 8 { try endOfHeld(into: &out) }
            case .chunkBody(let remaining, let kept, let last):
                let take = min(remaining, bytes.endIndex - index)
                if kept { out.append(contentsOf: bytes[index..<(index + take)]) }
                index += take
                let left = remaining - take
                state = left > 0 ? .chunkBody(remaining: left, kept: kept, last: last) : (last ? .trailer : .chunkHeader)
            case .trailer:
                removedMetadata = true
                index = bytes.endIndex
            }
        }
        return out
    }

    func finish() throws(UploadRejection) {
        guard case .trailer = state else { throw .invalidImage("the PNG ends before its IEND chunk") }
    }

    /// The signature or a chunk header is complete: check it, and copy it unless its chunk is dropped.
    private mutating func endOfHeld(into out: inout [UInt8]) throws(UploadRejection) {
        defer { held = [] }
        guard case .chunkHeader = state else {
            guard held == Self.signature else { throw .invalidImage("the PNG signature is damaged") }
            out += held
            state = .chunkHeader
            return
        }
        let length = held[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let type = Array(held[4..<8])
        guard length <= Int(Int32.max) else { throw .invalidImage("a PNG chunk declares a length over 2^31 - 1 bytes") }
        guard type.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw .invalidImage("a PNG chunk type is not four ASCII letters")
        }
        let kept = !Self.droppedTypes.contains(type)
        if kept { out += held } else { removedMetadata = true }
        state = .chunkBody(remaining: length + 4, kept: kept, last: type == Array("IEND".utf8))
    }
}
