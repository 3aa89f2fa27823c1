import Documents
import Testing

@testable import ContentValidation

/// Legacy .doc/.xls whose CFB directory lies beyond the 64 KiB head: libmagic cannot name them from the head.
@Suite struct CompoundFileTests {
    static let head = UploadInspector.headCapacity

    @Test func libmagicNeedsTheDirectory() {
        let bytes = CompoundFileSample.doc(streamSize: 80 * 1024)
        #expect(TestSupport.sniff(bytes) == "application/msword")
        #expect(TestSupport.sniff(Array(bytes.prefix(Self.head))) == "application/x-ole-storage")
    }

    @Test func confirmsAWordDocumentFromTheTail() throws {
        let file = try #require(TestSupport.inspect(CompoundFileSample.doc(streamSize: 80 * 1024), name: "letter.doc").value)
        #expect(file.type == .doc)
        #expect(file.sniffedMimeType == "application/x-ole-storage")
        #expect(file.mimeType == "application/msword")
    }

    @Test func confirmsAWorkbookFromTheTail() throws {
        #expect(TestSupport.inspect(CompoundFileSample.xls(streamSize: 80 * 1024), name: "sheet.xls").value?.type == .xls)
    }

    @Test func rejectsAWorkbookNamedDoc() throws {
        let rejection = try #require(TestSupport.inspect(CompoundFileSample.xls(streamSize: 80 * 1024), name: "letter.doc").rejection)
        #expect(rejection.code == "type_mismatch")
        #expect(rejection.message == "file content is an Excel workbook (xls) but the name says .doc")
    }

    @Test func rejectsOtherCompoundFiles() throws {
        let other = CompoundFileSample.file(streamName: "Contents", stream: [UInt8](repeating: 1, count: 80 * 1024))
        let rejection = try #require(TestSupport.inspect(other, name: "letter.doc").rejection)
        #expect(rejection.code == "unsupported_type")
        #expect(rejection.message.contains("neither a Word document nor an Excel workbook"))
    }

    @Test func rejectsADirectoryThatWasNotBuffered() throws {
        // Directory at ~80 KiB, followed by 300 KiB: neither in the head nor in the tail.
        let bytes = CompoundFileSample.doc(streamSize: 80 * 1024, trailing: 300 * 1024)
        #expect(TestSupport.sniff(bytes) == "application/msword")
        let rejection = try #require(TestSupport.inspect(bytes, name: "letter.doc").rejection)
        #expect(rejection.code == "unsupported_type")
        #expect(rejection.message.contains("directory lies outside"))
    }

    @Test func rejectsACompoundFileWithALoopingFAT() throws {
        var bytes = CompoundFileSample.doc(streamSize: 80 * 1024)
        // Two FAT sectors (0, 1) at 512, then 160 stream sectors: the directory is sector 162. Point it at itself.
        let directorySector = 2 + 160
        let entry = 512 + directorySector * 4
        bytes.replaceSubrange(entry..<(entry + 4), with: [UInt8(directorySector & 0xFF), UInt8(directorySector >> 8), 0, 0])
        let rejection = try #require(TestSupport.inspect(bytes, name: "letter.doc").rejection)
        #expect(rejection.code == "unsupported_type")
    }

    @Test func stopsALoopingFATAfterTheSectorsItWasGiven() throws {
        // The looping directory of the test above, in a file that says it is 2 GiB: the walk may take no more steps
        // than there are sectors in the bytes kept (163 here), not the 4 million the size would allow.
        var bytes = CompoundFileSample.doc(streamSize: 80 * 1024)
        let directorySector = 2 + 160
        let entry = 512 + directorySector * 4
        bytes.replaceSubrange(entry..<(entry + 4), with: [UInt8(directorySector & 0xFF), UInt8(directorySector >> 8), 0, 0])
        let started = ContinuousClock.now
        #expect(throws: CompoundFileDirectory.Problem.malformed) {
            try CompoundFileDirectory(head: bytes, tail: [], totalSize: 1 << 31)
        }
        #expect(ContinuousClock.now - started < .seconds(1))
    }
}
