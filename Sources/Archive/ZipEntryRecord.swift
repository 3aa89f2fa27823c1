/// What the central directory says about one entry once its data has been written (APPNOTE.TXT 4.3.12).
struct ZipEntryRecord: Sendable {
    /// The name as stored: UTF-8, so general purpose bit 11 is set.
    let name: [UInt8]
    let modified: DOSDateTime
    let crc32: UInt32
    /// Stored entries: the compressed and uncompressed sizes are this one value.
    let size: UInt64
    /// Where the entry's local file header starts.
    let localHeaderOffset: UInt64
    /// Whether the local header announced ZIP64 sizes (so the data descriptor has 8-byte sizes).
    let zip64Local: Bool
}
