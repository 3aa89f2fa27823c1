/// The byte layout of each ZIP record the writer emits (APPNOTE.TXT, version 6.3.10): stored entries (method 0)
/// whose CRC-32 and sizes follow their data in a data descriptor (general purpose bit 3), UTF-8 names (bit 11), and
/// the ZIP64 forms of sizes, offsets and counts. Pure functions of their inputs; ``ZipWriter`` decides which to write.
enum ZipRecord {
    /// General purpose bits 3 (sizes and CRC-32 in a data descriptor) and 11 (the name is UTF-8).
    static let flags: UInt16 = 0x0808
    /// Version 2.0: stored entries and data descriptors; 4.5: ZIP64 (APPNOTE.TXT 4.4.3.2).
    static let version20: UInt16 = 20
    static let version45: UInt16 = 45
    /// "Made by" Unix (host 3), so that the external attributes below are read as a Unix mode.
    static let unixHost: UInt16 = 3 << 8
    /// A regular file readable by everyone, writable by its owner (`0o100644`), in the high 16 bits.
    static let regularFileAttributes: UInt32 = 0o100644 << 16
    /// The mark, in a 32-bit field, that the value is in the ZIP64 extra field instead.
    static let inZip64: UInt32 = 0xFFFF_FFFF

    /// Local file header (4.3.7): sizes and CRC-32 are zero, as they come in the data descriptor; an entry that may
    /// reach 4 GiB says so with 0xFFFFFFFF sizes and a zero-filled ZIP64 extra field (4.5.3).
    static func localFileHeader(name: [UInt8], modified: DOSDateTime, zip64: Bool) -> [UInt8] {
        let extra: [UInt8] = zip64 ? zip64ExtraField([0, 0]) : []
        var bytes: [UInt8] = []
        bytes.append(littleEndian: UInt32(0x0403_4B50), zip64 ? version45 : version20, flags, UInt16(0), modified.time, modified.date)
        bytes.append(littleEndian: UInt32(0), zip64 ? inZip64 : 0, zip64 ? inZip64 : 0, UInt16(name.count), UInt16(extra.count))
        return bytes + name + extra
    }

    /// Data descriptor with its optional signature (4.3.9): 8-byte sizes after a ZIP64 local header.
    static func dataDescriptor(crc32: UInt32, size: UInt64, zip64: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.append(littleEndian: UInt32(0x0807_4B50), crc32)
        if zip64 {
            bytes.append(littleEndian: size, size)
        } else {
            bytes.append(littleEndian: UInt32(size), UInt32(size))
        }
        return bytes
    }

    /// Central directory file header (4.3.12); a size or offset at or above the threshold is written in the ZIP64
    /// extra field, in the order the standard gives (uncompressed size, compressed size, offset).
    static func centralDirectoryHeader(_ entry: ZipEntryRecord, thresholds: Zip64Thresholds) -> [UInt8] {
        let sizeInZip64 = entry.zip64Local || thresholds.needsZip64(entry.size)
        let offsetInZip64 = thresholds.needsZip64(entry.localHeaderOffset)
        let extra = zip64ExtraField((sizeInZip64 ? [entry.size, entry.size] : []) + (offsetInZip64 ? [entry.localHeaderOffset] : []))
        let version = sizeInZip64 || offsetInZip64 ? version45 : version20
        let size = sizeInZip64 ? inZip64 : UInt32(entry.size)
        var bytes: [UInt8] = []
        bytes.append(littleEndian: UInt32(0x0201_4B50), unixHost | version, version, flags, UInt16(0), entry.modified.time, entry.modified.date)
        bytes.append(littleEndian: entry.crc32, size, size, UInt16(entry.name.count), UInt16(extra.count), UInt16(0))
        bytes.append(littleEndian: UInt16(0), UInt16(0), regularFileAttributes, offsetInZip64 ? inZip64 : UInt32(entry.localHeaderOffset))
        return bytes + entry.name + extra
    }

    /// ZIP64 end of central directory record (4.3.14) followed by its locator (4.3.15), for an archive on one disk.
    static func zip64End(entries: Int, directorySize: UInt64, directoryOffset: UInt64) -> [UInt8] {
        let recordOffset = directoryOffset + directorySize
        var bytes: [UInt8] = []
        // The record's size field counts what follows it: 44 bytes with no extensible data.
        bytes.append(littleEndian: UInt32(0x0606_4B50), UInt64(44), unixHost | version45, version45, UInt32(0), UInt32(0))
        bytes.append(littleEndian: UInt64(entries), UInt64(entries), directorySize, directoryOffset)
        bytes.append(littleEndian: UInt32(0x0706_4B50), UInt32(0), recordOffset, UInt32(1))
        return bytes
    }

    /// End of central directory record (4.3.16); each value ZIP64 holds instead is written as all ones.
    static func end(entries: Int, directorySize: UInt64, directoryOffset: UInt64, thresholds: Zip64Thresholds) -> [UInt8] {
        let count = entries >= thresholds.entries ? UInt16.max : UInt16(entries)
        let size = thresholds.needsZip64(directorySize) ? inZip64 : UInt32(directorySize)
        let offset = thresholds.needsZip64(directoryOffset) ? inZip64 : UInt32(directoryOffset)
        var bytes: [UInt8] = []
        bytes.append(littleEndian: UInt32(0x0605_4B50), UInt16(0), UInt16(0), count, count, size, offset, UInt16(0))
        return bytes
    }

    /// The ZIP64 extended information extra field (4.5.3) holding `values`, or nothing when there are none.
    private static func zip64ExtraField(_ values: [UInt64]) -> [UInt8] {
        guard !values.isEmpty else { return [] }
        var bytes: [UInt8] = []
        bytes.append(littleEndian: UInt16(0x0001), UInt16(values.count * 8))
        for value in values { bytes.append(littleEndian: value) }
        return bytes
    }
}
