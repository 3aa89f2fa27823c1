/// Writes a ZIP archive front to back, so that it can be streamed as it is made: the caller sends each piece this
/// returns, and the entries' data in between, in order, and never has to go back (APPNOTE.TXT 4.3.6's layout).
///
/// Entries are stored, not compressed (documents are mostly compressed formats already, and a stored entry's size is
/// known before its bytes are read). Each entry's CRC-32 is computed by the caller while its data streams, and written
/// after it in a data descriptor; the central directory, written by ``finish()``, repeats every entry's facts. ZIP64
/// records are written exactly when a size, an offset or the entry count needs them (``Zip64Thresholds``).
///
/// No I/O: a state machine over byte counts. The writer remembers one small record per entry for the central
/// directory, never the data.
package struct ZipWriter: Sendable {
    private let thresholds: Zip64Thresholds
    /// Bytes of the archive so far: what this writer returned plus every ended entry's data.
    private var offset: UInt64 = 0
    private var entries: [ZipEntryRecord] = []
    private var open: OpenEntry?
    private var isFinished = false

    /// The entry whose data is being written.
    private struct OpenEntry: Sendable {
        let name: [UInt8]
        let modified: DOSDateTime
        let size: UInt64
        let localHeaderOffset: UInt64
        let zip64: Bool
    }

    /// Starts an archive; ``Zip64Thresholds/always`` is for tests.
    package init(thresholds: Zip64Thresholds = .standard) {
        self.thresholds = thresholds
    }

    /// The number of bytes of the archive so far.
    package var bytesWritten: UInt64 { offset }

    /// Begins an entry of `size` bytes named `name` (a relative path with `/` separators, which the caller has made
    /// safe and unique) and returns its local file header; the entry's `size` bytes follow it.
    package mutating func beginEntry(name: String, size: UInt64, modified: DOSDateTime) throws(ZipWriterError) -> [UInt8] {
        guard !isFinished else { throw .finished }
        guard open == nil else { throw .entryOpen }
        let nameBytes = Array(name.utf8)
        guard nameBytes.count <= Int(UInt16.max) else { throw .nameTooLong }
        let zip64 = thresholds.needsZip64(size)
        let header = ZipRecord.localFileHeader(name: nameBytes, modified: modified, zip64: zip64)
        open = OpenEntry(name: nameBytes, modified: modified, size: size, localHeaderOffset: offset, zip64: zip64)
        offset += UInt64(header.count)
        return header
    }

    /// Ends the open entry, whose data was `size` bytes with checksum `crc32`, and returns its data descriptor.
    /// Throws ``ZipWriterError/sizeMismatch`` when `size` is not what ``beginEntry(name:size:modified:)`` declared.
    package mutating func endEntry(size: UInt64, crc32: UInt32) throws(ZipWriterError) -> [UInt8] {
        guard let entry = open else { throw .noEntryOpen }
        guard size == entry.size else { throw .sizeMismatch }
        open = nil
        entries.append(
            ZipEntryRecord(
                name: entry.name,
                modified: entry.modified,
                crc32: crc32,
                size: size,
                localHeaderOffset: entry.localHeaderOffset,
                zip64Local: entry.zip64
            )
        )
        let descriptor = ZipRecord.dataDescriptor(crc32: crc32, size: size, zip64: entry.zip64)
        offset += size + UInt64(descriptor.count)
        return descriptor
    }

    /// Returns the central directory and the end records, which complete the archive.
    package mutating func finish() throws(ZipWriterError) -> [UInt8] {
        guard !isFinished else { throw .finished }
        guard open == nil else { throw .entryOpen }
        isFinished = true
        let directoryOffset = offset
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += ZipRecord.centralDirectoryHeader(entry, thresholds: thresholds)
        }
        let directorySize = UInt64(bytes.count)
        if entries.count >= thresholds.entries || thresholds.needsZip64(directorySize) || thresholds.needsZip64(directoryOffset) {
            bytes += ZipRecord.zip64End(entries: entries.count, directorySize: directorySize, directoryOffset: directoryOffset)
        }
        bytes += ZipRecord.end(entries: entries.count, directorySize: directorySize, directoryOffset: directoryOffset, thresholds: thresholds)
        offset += UInt64(bytes.count)
        return bytes
    }
}
