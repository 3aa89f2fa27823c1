/// Reads the central directory of a ZIP archive from its first and last bytes, to confirm an Office Open XML
/// file (.docx, .xlsx) without unpacking it (APPNOTE.TXT 6.3.x, §4.3.12 and §4.3.16; ECMA-376 Part 2).
///
/// libmagic recognises OOXML only when the `word/` or `xl/` entry comes early in the archive; otherwise it
/// says `application/zip`. The central directory at the end of the file lists every entry, so it decides.
struct ZipDirectory {
    /// Why the directory could not be read; all mean "not an OOXML file we can confirm".
    enum Problem: Error, Equatable {
        case noEndOfCentralDirectory
        case zip64
        case centralDirectoryNotBuffered
        case malformed
    }

    /// Whether an entry named exactly `[Content_Types].xml` exists (the OPC content-types part).
    private(set) var hasContentTypes = false
    /// Whether any entry lies under `word/` (WordprocessingML).
    private(set) var hasWordEntries = false
    /// Whether any entry lies under `xl/` (SpreadsheetML).
    private(set) var hasSpreadsheetEntries = false

    static let endOfCentralDirectorySize = 22
    static let centralHeaderSize = 46
    static let maxCommentLength = 0xFFFF

    /// Parses the directory of a file of `totalSize` bytes, of which `head` are the first and `tail` the last.
    init(head: [UInt8], tail: ArraySlice<UInt8>, totalSize: Int) throws(Problem) {
        let tail = Array(tail)
        let tailOffset = totalSize - tail.count
        guard let end = Self.findEndOfCentralDirectory(in: tail) else { throw .noEndOfCentralDirectory }
        let disk = Self.uint16(tail, end + 4)
        let directoryDisk = Self.uint16(tail, end + 6)
        let entriesOnDisk = Self.uint16(tail, end + 8)
        let entryCount = Self.uint16(tail, end + 10)
        let directorySize = Int(Self.uint32(tail, end + 12))
        let directoryOffset = Int(Self.uint32(tail, end + 16))
        guard entryCount != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else { throw .zip64 }
        guard disk == 0, directoryDisk == 0, entriesOnDisk == entryCount,
            directoryOffset + directorySize <= tailOffset + end
        else { throw .malformed }

        let directory: ArraySlice<UInt8>
        if directoryOffset >= tailOffset {
            directory = tail[(directoryOffset - tailOffset)..<(directoryOffset - tailOffset + directorySize)]
        } else if directoryOffset + directorySize <= head.count {
            directory = head[directoryOffset..<(directoryOffset + directorySize)]
        } else {
            throw .centralDirectoryNotBuffered
        }
        try readEntries(Array(directory), count: entryCount)
    }

    private mutating func readEntries(_ directory: [UInt8], count: Int) throws(Problem) {
        var position = 0
        for _ in 0..<count {
            guard position + Self.centralHeaderSize <= directory.count, Self.uint32(directory, position) == 0x0201_4B50 else {
                throw .malformed
            }
            let nameLength = Self.uint16(directory, position + 28)
            let extraLength = Self.uint16(directory, position + 30)
            let commentLength = Self.uint16(directory, position + 32)
            let nameStart = position + Self.centralHeaderSize
            guard nameStart + nameLength <= directory.count else { throw .malformed }
            let name = directory[nameStart..<(nameStart + nameLength)]
            if name.elementsEqual("[Content_Types].xml".utf8) { hasContentTypes = true }
            if name.starts(with: "word/".utf8) { hasWordEntries = true }
            if name.starts(with: "xl/".utf8) { hasSpreadsheetEntries = true }
            position = nameStart + nameLength + extraLength + commentLength
        }
    }

    /// The offset of the End Of Central Directory record whose comment runs exactly to the end of `tail`.
    private static func findEndOfCentralDirectory(in tail: [UInt8]) -> Int? {
        guard tail.count >= endOfCentralDirectorySize else { return nil }
        let lowest = max(0, tail.count - endOfCentralDirectorySize - maxCommentLength)
        for offset in stride(from: tail.count - endOfCentralDirectorySize, through: lowest, by: -1)
        where uint32(tail, offset) == 0x0605_4B50 && uint16(tail, offset + 20) == tail.count - offset - endOfCentralDirectorySize {
            return offset
        }
        return nil
    }

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
