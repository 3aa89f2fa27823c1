/// Builds a minimal Compound File Binary (OLE2/CDF, [MS-CFB]): what a legacy .doc ("WordDocument" stream) or
/// .xls ("Workbook" stream) is made of. Layout: header, FAT sectors, the main stream, one directory sector, then an
/// optional trailing stream (which pushes the directory away from the end). Streams are at least 4096 bytes, the
/// mini-stream cutoff, so no mini FAT is needed.
enum CompoundFileSample {
    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let free: UInt32 = 0xFFFF_FFFF
    static let fatMarker: UInt32 = 0xFFFF_FFFD
    static let sectorSize = 512

    static func file(streamName: String, stream: [UInt8], trailingStream: [UInt8] = []) -> [UInt8] {
        precondition(stream.count >= 4096 && stream.count % sectorSize == 0 && trailingStream.count % sectorSize == 0)
        let streamSectors = stream.count / sectorSize
        let trailingSectors = trailingStream.count / sectorSize
        var fatSectors = 1
        while fatSectors * 128 < fatSectors + streamSectors + 1 + trailingSectors { fatSectors += 1 }
        let streamStart = fatSectors
        let directorySector = streamStart + streamSectors
        let trailingStart = directorySector + 1

        var out = ByteWriter()
        out.raw([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        out.zeros(16)  // CLSID
        out.u16(0x3E)  // minor version
        out.u16(3)  // major version 3: 512-byte sectors
        out.u16(0xFFFE)  // byte order
        out.u16(9)  // sector shift
        out.u16(6)  // mini sector shift
        out.zeros(6)
        out.u32(0)  // directory sectors (0 in v3)
        out.u32(UInt32(fatSectors))
        out.u32(UInt32(directorySector))
        out.u32(0)  // transaction signature
        out.u32(0x1000)  // mini stream cutoff
        out.u32(endOfChain)  // first mini FAT sector
        out.u32(0)
        out.u32(endOfChain)  // first DIFAT sector
        out.u32(0)
        for index in 0..<109 { out.u32(index < fatSectors ? UInt32(index) : free) }

        var fat = [UInt32](repeating: fatMarker, count: fatSectors)
        fat += chain(from: streamStart, count: streamSectors)
        fat.append(endOfChain)  // the directory is one sector
        fat += chain(from: trailingStart, count: trailingSectors)
        fat += [UInt32](repeating: free, count: fatSectors * 128 - fat.count)
        for entry in fat { out.u32(entry) }

        out.raw(stream)
        out.raw(directoryEntry(name: "Root Entry", type: 5, right: free, child: 1, start: endOfChain, size: 0))
        out.raw(
            directoryEntry(
                name: streamName,
                type: 2,
                right: trailingSectors > 0 ? 2 : free,
                child: free,
                start: UInt32(streamStart),
                size: UInt64(stream.count)
            )
        )
        if trailingSectors > 0 {
            out.raw(directoryEntry(name: "Data", type: 2, right: free, child: free, start: UInt32(trailingStart), size: UInt64(trailingStream.count)))
        } else {
            out.raw(directoryEntry(name: "", type: 0, right: free, child: free, start: 0, size: 0))
        }
        out.raw(directoryEntry(name: "", type: 0, right: free, child: free, start: 0, size: 0))
        out.raw(trailingStream)
        return out.bytes
    }

    private static func chain(from start: Int, count: Int) -> [UInt32] {
        (0..<count).map { $0 == count - 1 ? endOfChain : UInt32(start + $0 + 1) }
    }

    private static func directoryEntry(name: String, type: UInt8, right: UInt32, child: UInt32, start: UInt32, size: UInt64) -> [UInt8] {
        var entry = ByteWriter()
        let utf16 = name.isEmpty ? [] : Array(name.utf16) + [0]
        for unit in utf16 { entry.u16(Int(unit)) }
        entry.zeros(64 - utf16.count * 2)
        entry.u16(utf16.count * 2)
        entry.u8(type)
        entry.u8(1)  // black
        entry.u32(free)  // left sibling
        entry.u32(right)  // right sibling
        entry.u32(child)
        entry.zeros(16 + 4 + 8 + 8)  // CLSID, state bits, creation and modification times
        entry.u32(start)
        entry.u64(size)
        return entry.bytes
    }

    /// A legacy Word document: a "WordDocument" stream starting with the FIB magic 0xA5EC.
    static func doc(streamSize: Int = 4096, trailing: Int = 0) -> [UInt8] {
        var stream = ByteWriter()
        stream.u16(0xA5EC)
        stream.u16(0xC1)
        stream.zeros(streamSize - 4)
        return file(streamName: "WordDocument", stream: stream.bytes, trailingStream: [UInt8](repeating: 0, count: trailing))
    }

    /// A legacy Excel workbook: a "Workbook" stream starting with a BIFF8 BOF record.
    static func xls(streamSize: Int = 4096) -> [UInt8] {
        var stream = ByteWriter()
        stream.raw([0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00])
        stream.zeros(streamSize - 8)
        return file(streamName: "Workbook", stream: stream.bytes)
    }
}
