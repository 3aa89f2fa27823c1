/// From which values on the writer uses ZIP64 fields (APPNOTE.TXT 4.3.14, 4.5.3): a size or offset that a 32-bit
/// field cannot hold, or more entries than the 16-bit count can.
///
/// The standard thresholds are the only ones a reader needs; ``always`` writes every field the ZIP64 way, which
/// readers must accept as well, so that tests can exercise those records without writing 4 GiB.
package struct Zip64Thresholds: Sendable, Equatable {
    /// A size or offset at or above this is written as 0xFFFFFFFF with its value in the ZIP64 extra field.
    package var size: UInt64
    /// An archive with at least this many entries has its counts in the ZIP64 end of central directory record.
    package var entries: Int

    /// Creates thresholds; see the properties.
    package init(size: UInt64, entries: Int) {
        self.size = size
        self.entries = entries
    }

    /// ZIP64 exactly when a value does not fit: 0xFFFFFFFF and 0xFFFF themselves are the fields' "see ZIP64" marks.
    package static let standard = Self(size: 0xFFFF_FFFF, entries: 0xFFFF)
    /// ZIP64 for every entry and the end records, whatever the values.
    package static let always = Self(size: 0, entries: 0)

    /// Whether `value` must go in a ZIP64 field.
    func needsZip64(_ value: UInt64) -> Bool { value >= size }
}
