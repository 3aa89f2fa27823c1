/// Reads the directory of a Compound File Binary (OLE2/CDF, [MS-CFB]) from its first and last bytes, to confirm a
/// legacy .doc or .xls that libmagic could not name from the head alone.
///
/// libmagic reads the CFB directory to tell Word from Excel; when the directory lies beyond the 64 KiB head it
/// only says `application/x-ole-storage`. The directory sectors and the FAT sectors that chain them are often at
/// the end of the file, which the rolling tail keeps, so they can be followed here ([MS-CFB] §2.2, §2.3, §2.6).
struct CompoundFileDirectory {
    /// Why the directory could not be read; all mean "not a .doc/.xls we can confirm".
    enum Problem: Error, Equatable {
        case notCompoundFile
        case notBuffered
        case malformed
    }

    /// The names of all stream objects in the directory (e.g. `WordDocument`, `Workbook`).
    private(set) var streamNames: Set<String> = []

    static let signature: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let maxRegularSector: UInt32 = 0xFFFF_FFFA
    static let headerDIFATCount = 109
    static let entrySize = 128

    private let head: [UInt8]
    private let tail: [UInt8]
    private let totalSize: Int
    private let sectorSize: Int
    /// No chain is longer than the sectors it can read, those kept in the head and the tail: each step reads one,
    /// so a longer walk means a loop in a hostile FAT, however large the file says it is.
    private let maxChainLength: Int

    init(head: [UInt8], tail: ArraySlice<UInt8>, totalSize: Int) throws(Problem) {
        guard head.count >= 512, head.starts(with: Self.signature) else { throw .notCompoundFile }
        let shift = Self.uint16(head, 30)
        guard shift == 9 || shift == 12 else { throw .malformed }
        self.head = head
        self.tail = Array(tail)
        self.totalSize = totalSize
        self.sectorSize = 1 << shift
        self.maxChainLength = min(totalSize, head.count + tail.count) / sectorSize
        try readDirectory(firstSector: Self.uint32(head, 48), fatSectorCount: Int(Self.uint32(head, 44)))
    }

    private mutating func readDirectory(firstSector: UInt32, fatSectorCount: Int) throws(Problem) {
        var sector = firstSector
        var visited = 0
        while sector != Self.endOfChain {
            guard sector <= Self.maxRegularSector, visited < maxChainLength else { throw .malformed }
            let bytes = Array(try read(sector: sector))
            for start in stride(from: 0, to: sectorSize, by: Self.entrySize) {
                // Object type 2 is a stream; the name is UTF-16LE with its length in bytes, terminator included.
                let nameLength = Self.uint16(bytes, start + 64)
                guard bytes[start + 66] == 2, nameLength >= 2, nameLength <= 64, nameLength.isMultiple(of: 2) else { continue }
                let units = (0..<(nameLength / 2 - 1)).map { UInt16(Self.uint16(bytes, start + 2 * $0)) }
                streamNames.insert(String(decoding: units, as: UTF16.self))
            }
            sector = try next(after: sector, fatSectorCount: fatSectorCount)
            visited += 1
        }
    }

    /// The FAT entry for `sector`: the next sector of its chain.
    private func next(after sector: UInt32, fatSectorCount: Int) throws(Problem) -> UInt32 {
        let entriesPerSector = sectorSize / 4
        let fatIndex = Int(sector) / entriesPerSector
        guard fatIndex < fatSectorCount else { throw .malformed }
        let fatSector = try read(sector: try fatSectorLocation(fatIndex))
        return Self.uint32(fatSector, (Int(sector) % entriesPerSector) * 4)
    }

    /// Where the `index`th FAT sector is: in the header's DIFAT, then in the chain of DIFAT sectors.
    private func fatSectorLocation(_ index: Int) throws(Problem) -> UInt32 {
        if index < Self.headerDIFATCount { return Self.uint32(head, 76 + 4 * index) }
        let entriesPerSector = sectorSize / 4 - 1  // the last entry points to the next DIFAT sector
        var remaining = index - Self.headerDIFATCount
        var difatSector = Self.uint32(head, 68)
        var hops = 0
        while remaining >= entriesPerSector {
            guard difatSector <= Self.maxRegularSector, hops < maxChainLength else { throw .malformed }
            difatSector = Self.uint32(try read(sector: difatSector), entriesPerSector * 4)
            remaining -= entriesPerSector
            hops += 1
        }
        guard difatSector <= Self.maxRegularSector else { throw .malformed }
        return Self.uint32(try read(sector: difatSector), remaining * 4)
    }

    /// The bytes of `sector`, if they were kept in the head or the tail.
    private func read(sector: UInt32) throws(Problem) -> ArraySlice<UInt8> {
        guard sector <= Self.maxRegularSector else { throw .malformed }
        let offset = (Int(sector) + 1) * sectorSize
        let end = offset + sectorSize
        guard end <= totalSize else { throw .malformed }
        if end <= head.count { return head[offset..<end] }
        let tailOffset = totalSize - tail.count
        guard offset >= tailOffset else { throw .notBuffered }
        return tail[(offset - tailOffset)..<(end - tailOffset)]
    }

    private static func uint16(_ bytes: some RandomAccessCollection<UInt8>, _ offset: Int) -> Int {
        let base = bytes.index(bytes.startIndex, offsetBy: offset)
        return Int(bytes[base]) | Int(bytes[bytes.index(after: base)]) << 8
    }

    private static func uint32(_ bytes: some RandomAccessCollection<UInt8>, _ offset: Int) -> UInt32 {
        let base = bytes.index(bytes.startIndex, offsetBy: offset)
        return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[bytes.index(base, offsetBy: $1)]) << (8 * UInt32($1)) }
    }
}
