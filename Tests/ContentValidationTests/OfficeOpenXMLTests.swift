import ContentValidation
import Documents
import Foundation
import Testing

/// .docx/.xlsx are confirmed from the ZIP central directory, whatever libmagic said.
@Suite struct OfficeOpenXMLTests {
    @Test func confirmsALateWordEntryThatLibmagicCannotName() throws {
        let bytes = ZipSample.docxWithLateWordEntry()
        #expect(TestSupport.sniff(bytes) == "application/octet-stream")
        let file = try #require(TestSupport.inspect(bytes, name: "letter.docx").value)
        #expect(file.type == .docx)
        #expect(file.mimeType == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        #expect(file.sniffedMimeType == "application/octet-stream")
    }

    @Test func confirmsADocumentLargerThanTheHeadAndTheTail() throws {
        // 400 KiB of padding before word/ and the directory: the directory is only in the rolling tail.
        let bytes = ZipSample.docxWithLateWordEntry(padding: 400 * 1024)
        #expect(bytes.count > UploadInspector.headCapacity + UploadInspector.tailCapacity)
        var inspector = UploadInspector(fileName: "letter.docx", category: .other, sniffer: TestSupport.sniffer)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 10_000, bytes.count)
            try TestSupport.consume(bytes[offset..<end], into: &inspector)
            offset = end
        }
        #expect(inspector.decidedType == .docx)
        #expect(try inspector.finish().type == .docx)
    }

    @Test func rejectsAPlainZipNamedDocx() throws {
        var inspector = UploadInspector(fileName: "letter.docx", category: .other, sniffer: TestSupport.sniffer)
        try TestSupport.consume(ZipSample.plain()[...], into: &inspector)
        let rejection = try #require(throws: UploadRejection.self) { try inspector.finish() }
        #expect(rejection.code == "unsupported_type")
        #expect(rejection.message.contains("[Content_Types].xml and word/"))
    }

    @Test func rejectsAPlainZipNamedXlsx() throws {
        let rejection = try #require(TestSupport.inspect(ZipSample.plain(), name: "sheet.xlsx").rejection)
        #expect(rejection.message.contains("[Content_Types].xml and xl/"))
    }

    @Test func requiresContentTypes() throws {
        let noContentTypes = ZipSample.archive([("_rels/.rels", ZipSample.rels), ("word/document.xml", Array("<w/>".utf8))])
        #expect(TestSupport.inspect(noContentTypes, name: "letter.docx").rejection?.code == "unsupported_type")
    }

    @Test func rejectsAWorkbookLateInTheArchiveNamedDocx() throws {
        let workbook = ZipSample.archive([
            ("[Content_Types].xml", ZipSample.contentTypes), ("_rels/.rels", ZipSample.rels), ("docProps/app.xml", Array("<a/>".utf8)),
            ("docProps/core.xml", Array("<c/>".utf8)), ("customXml/item1.xml", Array("<c/>".utf8)), ("xl/workbook.xml", Array("<w/>".utf8)),
        ])
        let rejection = try #require(TestSupport.inspect(workbook, name: "letter.docx").rejection)
        #expect(rejection.code == "type_mismatch")
        #expect(rejection.message == "file content is an Excel workbook (xlsx) but the name says .docx")
    }

    @Test func rejectsATruncatedArchive() throws {
        let bytes = Array(ZipSample.docx().dropLast(30))
        let rejection = try #require(TestSupport.inspect(bytes, name: "letter.docx").rejection)
        #expect(rejection.message.contains("not a readable ZIP archive"))
    }

    @Test func rejectsACentralDirectoryPointingOutsideTheFile() throws {
        var bytes = ZipSample.docx()
        bytes[bytes.count - 6] = 0xFF  // directory offset (little endian, bytes 16...19 of the EOCD)
        bytes[bytes.count - 5] = 0xFF
        #expect(TestSupport.inspect(bytes, name: "letter.docx").rejection?.code == "unsupported_type")
    }

    @Test func rejectsZip64() throws {
        var bytes = ZipSample.docx()
        for index in (bytes.count - 12)..<(bytes.count - 8) { bytes[index] = 0xFF }  // directory size = 0xFFFFFFFF
        let rejection = try #require(TestSupport.inspect(bytes, name: "letter.docx").rejection)
        #expect(rejection.message.contains("ZIP64"))
    }

    @Test func acceptsAnArchiveComment() throws {
        let bytes = ZipSample.archive(
            [("[Content_Types].xml", ZipSample.contentTypes), ("xl/workbook.xml", Array("<w/>".utf8))],
            comment: Array("PK\u{5}\u{6} looks like a signature".utf8)
        )
        #expect(TestSupport.inspect(bytes, name: "sheet.xlsx").value?.type == .xlsx)
    }

    @Test func rejectsADirectoryTooLargeToBuffer() throws {
        // 3000 entries with 100-byte names: the directory (~430 KiB) is larger than the rolling tail.
        let entries = (0..<3000).map { (String(format: "xl/media/%091d.bin", $0), [UInt8]()) }
        let bytes = ZipSample.archive([("[Content_Types].xml", ZipSample.contentTypes)] + entries)
        let rejection = try #require(TestSupport.inspect(bytes, name: "sheet.xlsx", chunkSize: 64 * 1024).rejection)
        #expect(rejection.code == "unsupported_type")
    }
}
