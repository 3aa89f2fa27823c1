import Testing

@testable import Archive

@Suite struct ZipWriterTests {
    private static let modified = DOSDateTime(epochSeconds: 1_796_674_252)
    private static let data = Array("hello".utf8)

    /// An archive of `entries` (name, data) written the way an export streams it.
    private static func archive(_ entries: [(String, [UInt8])], thresholds: Zip64Thresholds = .standard) throws -> [UInt8] {
        var writer = ZipWriter(thresholds: thresholds)
        var bytes: [UInt8] = []
        for (name, data) in entries {
            bytes += try writer.beginEntry(name: name, size: UInt64(data.count), modified: modified)
            bytes += data
            bytes += try writer.endEntry(size: UInt64(data.count), crc32: CRC32.checksum(data))
        }
        bytes += try writer.finish()
        #expect(writer.bytesWritten == UInt64(bytes.count))
        return bytes
    }

    @Test func writesAStoredEntryWithADataDescriptor() throws {
        let name = Array("a/bé.txt".utf8)
        let zip = ZipBytes(bytes: try Self.archive([("a/bé.txt", Self.data)]))
        // Local file header: version 2.0, bits 3 and 11, stored, the time, zero CRC and sizes.
        #expect(zip.u32(0) == 0x0403_4B50)
        #expect([zip.u16(4), zip.u16(6), zip.u16(8), zip.u16(10), zip.u16(12)] == [20, 0x0808, 0, 0xA15A, 0x5D87])
        #expect([zip.u32(14), zip.u32(18), zip.u32(22)] == [0, 0, 0])
        #expect([Int(zip.u16(26)), Int(zip.u16(28))] == [name.count, 0])
        #expect(Array(zip.bytes[30..<(30 + name.count)]) == name)
        let data = 30 + name.count
        #expect(Array(zip.bytes[data..<(data + 5)]) == Self.data)
        // Data descriptor: signature, CRC-32 (zlib.crc32(b"hello")), 4-byte sizes.
        let descriptor = data + 5
        let descriptorFields = [zip.u32(descriptor), zip.u32(descriptor + 4), zip.u32(descriptor + 8), zip.u32(descriptor + 12)]
        #expect(descriptorFields == [0x0807_4B50, 0x3610_A686, 5, 5])
        // Central directory header: made by Unix 2.0, the same facts, mode 0644, the local header at 0.
        let central = descriptor + 16
        #expect(zip.u32(central) == 0x0201_4B50)
        #expect([zip.u16(central + 4), zip.u16(central + 6), zip.u16(central + 8)] == [0x0314, 20, 0x0808])
        #expect([zip.u32(central + 16), zip.u32(central + 20), zip.u32(central + 24)] == [0x3610_A686, 5, 5])
        #expect(Int(zip.u16(central + 28)) == name.count && zip.u16(central + 30) == 0)
        #expect(zip.u32(central + 38) == 0o100644 << 16 && zip.u32(central + 42) == 0)
        // End of central directory: one entry, the directory's size and offset; no ZIP64 records.
        let end = central + 46 + name.count
        #expect(zip.last(0x0606_4B50) == nil)
        #expect(zip.u32(end) == 0x0605_4B50 && zip.bytes.count == end + 22)
        #expect([zip.u16(end + 8), zip.u16(end + 10)] == [1, 1])
        #expect([Int(zip.u32(end + 12)), Int(zip.u32(end + 16))] == [46 + name.count, central])
    }

    @Test func writesEveryFieldTheZip64WayWhenTold() throws {
        let zip = ZipBytes(bytes: try Self.archive([("a.txt", Self.data), ("b.txt", Self.data)], thresholds: .always))
        // Local header: version 4.5, sizes marked, a zero-filled ZIP64 extra field of two sizes.
        #expect(zip.u16(4) == 45 && zip.u32(18) == 0xFFFF_FFFF && zip.u32(22) == 0xFFFF_FFFF)
        #expect(zip.u16(28) == 20 && zip.u16(35) == 0x0001 && zip.u16(37) == 16 && zip.u64(39) == 0 && zip.u64(47) == 0)
        // Data descriptor with 8-byte sizes.
        let descriptor = 30 + 5 + 20 + 5
        #expect(zip.u32(descriptor) == 0x0807_4B50 && zip.u64(descriptor + 8) == 5 && zip.u64(descriptor + 16) == 5)
        let secondLocal = descriptor + 24
        // The second entry's central header: sizes and offset all in the extra field, in the standard's order.
        let central = try #require(zip.last(0x0201_4B50))
        #expect(zip.u32(central + 20) == 0xFFFF_FFFF && zip.u32(central + 24) == 0xFFFF_FFFF && zip.u32(central + 42) == 0xFFFF_FFFF)
        #expect(zip.u16(central + 30) == 28)
        let extra = central + 46 + 5
        #expect(zip.u16(extra) == 0x0001 && zip.u16(extra + 2) == 24)
        #expect([zip.u64(extra + 4), zip.u64(extra + 12), zip.u64(extra + 20)] == [5, 5, UInt64(secondLocal)])
        // ZIP64 end record and locator, then an end record whose counts, size and offset are all marked.
        let record = try #require(zip.last(0x0606_4B50))
        let directoryStart = 2 * secondLocal
        #expect(zip.u64(record + 4) == 44 && zip.u64(record + 24) == 2 && zip.u64(record + 32) == 2)
        #expect(zip.u64(record + 40) == UInt64(record - directoryStart) && zip.u64(record + 48) == UInt64(directoryStart))
        #expect(zip.u32(record + 56) == 0x0706_4B50 && zip.u64(record + 64) == UInt64(record) && zip.u32(record + 72) == 1)
        let end = record + 76
        #expect(zip.u32(end) == 0x0605_4B50 && zip.u16(end + 8) == 0xFFFF && zip.u16(end + 10) == 0xFFFF)
        #expect(zip.u32(end + 12) == 0xFFFF_FFFF && zip.u32(end + 16) == 0xFFFF_FFFF && zip.bytes.count == end + 22)
    }

    @Test func movesOnlyTheCountToZip64AtTheEntryThreshold() throws {
        let entries = (0..<3).map { ("\($0).txt", Self.data) }
        let zip = ZipBytes(bytes: try Self.archive(entries, thresholds: Zip64Thresholds(size: 0xFFFF_FFFF, entries: 3)))
        #expect(zip.last(0x0807_4B50).map { zip.u32($0 + 8) } == 5, "sizes stay 32-bit")
        let record = try #require(zip.last(0x0606_4B50))
        #expect(zip.u64(record + 32) == 3)
        let end = record + 76
        #expect(zip.u16(end + 10) == 0xFFFF && zip.u32(end + 12) != 0xFFFF_FFFF)
    }

    @Test func refusesCallsOutOfOrder() throws {
        var writer = ZipWriter()
        #expect(throws: ZipWriterError.noEntryOpen) { try writer.endEntry(size: 0, crc32: 0) }
        _ = try writer.beginEntry(name: "a", size: 5, modified: Self.modified)
        #expect(throws: ZipWriterError.entryOpen) { try writer.beginEntry(name: "b", size: 1, modified: Self.modified) }
        #expect(throws: ZipWriterError.entryOpen) { try writer.finish() }
        #expect(throws: ZipWriterError.sizeMismatch) { try writer.endEntry(size: 4, crc32: 0) }
        _ = try writer.endEntry(size: 5, crc32: 0)
        _ = try writer.finish()
        #expect(throws: ZipWriterError.finished) { try writer.finish() }
        #expect(throws: ZipWriterError.finished) { try writer.beginEntry(name: "c", size: 1, modified: Self.modified) }
        let long = String(repeating: "x", count: 65_536)
        var another = ZipWriter()
        #expect(throws: ZipWriterError.nameTooLong) { try another.beginEntry(name: long, size: 1, modified: Self.modified) }
    }
}
