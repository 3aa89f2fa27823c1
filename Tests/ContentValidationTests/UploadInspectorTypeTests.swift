import ContentValidation
import Documents
import Testing

/// The type decision: content must be allowed and agree with the name.
@Suite struct UploadInspectorTypeTests {
    @Test(arguments: [
        ("png", "scan.png", AllowedType.png),
        ("jpeg", "photo.jpg", .jpeg),
        ("jpeg", "photo.JPEG", .jpeg),
        ("gif", "anim.gif", .gif),
        ("webp", "pic.webp", .webp),
        ("svg", "chart.svg", .svg),
        ("pdf", "report.pdf", .pdf),
        ("doc", "letter.doc", .doc),
        ("xls", "sheet.xls", .xls),
        ("docx", "letter.docx", .docx),
        ("xlsx", "sheet.xlsx", .xlsx),
        ("docx-late-word", "late.docx", .docx),
        ("docx-rels-first", "rels-first.docx", .docx),
        ("text", "notes.txt", .text),
        ("comma-csv", "labs.csv", .csv),
        ("semicolon-csv", "labs.csv", .csv),
        ("comma-csv", "labs.txt", .text),
        ("text", "notes.csv", .csv),
        ("dicom-preamble", "ct.dcm", .dicom),
        ("dicom-no-preamble", "ct.dcm", .dicom),
        ("dicom-no-preamble", "ct.dicom", .dicom),
    ])
    func acceptsMatchingContent(sample: String, name: String, type: AllowedType) throws {
        let bytes = Samples.bytes(sample)
        let result = TestSupport.inspect(bytes, name: name)
        let file = try #require(result.value, "rejected: \(String(describing: result.rejection))")
        #expect(file.type == type)
        #expect(file.size == bytes.count)
        #expect(file.mimeType == type.mimeType)
    }

    @Test func reportsWhatLibmagicSniffed() throws {
        let file = try #require(TestSupport.inspect(Samples.semicolonCSV, name: "labs.csv").value)
        #expect(file.sniffedMimeType == "text/plain")
        #expect(file.mimeType == "text/csv")
    }

    @Test(arguments: [
        ("png", "report.pdf", "type_mismatch", "file content is image/png but the name says .pdf"),
        ("pdf", "scan.png", "type_mismatch", "file content is application/pdf but the name says .png"),
        ("jpeg", "scan.png", "type_mismatch", "file content is image/jpeg but the name says .png"),
        ("xls", "letter.doc", "type_mismatch", "file content is application/vnd.ms-excel but the name says .doc"),
        ("docx", "sheet.xlsx", "type_mismatch", "but the name says .xlsx"),
        ("text", "chart.svg", "type_mismatch", "file content is text/plain but the name says .svg"),
        ("elf", "report.pdf", "unsupported_type", "file content is application/x-"),
        ("html", "scan.png", "unsupported_type", "file content is text/html, which is not an accepted type"),
        ("html", "notes.txt", "unsupported_type", "text/html"),
        ("zip", "report.pdf", "unsupported_type", "file content is application/zip, which is not an accepted type"),
        ("dicom-no-preamble", "scan.png", "unsupported_type", "application/octet-stream"),
        ("png", "ct.dcm", "type_mismatch", "file content is image/png but the name says .dcm"),
    ])
    func rejectsDisagreeingContent(sample: String, name: String, code: String, message: String) throws {
        let rejection = try #require(TestSupport.inspect(Samples.bytes(sample), name: name).rejection)
        #expect(rejection.code == code)
        #expect(rejection.httpStatus == 415)
        #expect(rejection.message.contains(message), "\(rejection.message)")
    }

    @Test func rejectsAnEmptyFile() throws {
        let rejection = try #require(TestSupport.inspect([], name: "report.pdf").rejection)
        #expect(rejection.code == "empty_file")
        #expect(rejection.httpStatus == 400)
    }

    @Test(arguments: ["report", "file", "archive."])
    func rejectsANameWithoutExtension(name: String) throws {
        let rejection = try #require(TestSupport.inspect(Samples.pdf, name: name).rejection)
        #expect(rejection.code == "missing_extension")
        #expect(rejection.message.contains("no extension"))
        #expect(rejection.httpStatus == 415)
    }

    @Test(arguments: ["setup.exe", "archive.zip", "page.html", "image.heic", "drawing.svgz"])
    func rejectsAnExtensionOffTheAllowList(name: String) throws {
        var inspector = UploadInspector(fileName: name, category: .other, sniffer: TestSupport.sniffer)
        // Rejected on the first chunk: no need to read the rest of the upload.
        let rejection = try #require(throws: UploadRejection.self) { try TestSupport.consume(Samples.pdf[...], into: &inspector) }
        #expect(rejection.code == "unsupported_type")
        #expect(rejection.message.contains(".pdf"))  // lists what is allowed
        #expect(!rejection.message.contains(name))
    }

    @Test func acceptsSourceCodeLookingNotesAsText() throws {
        let code = Array("#include <stdio.h>\nint main(void) { return 0; }\n".utf8)
        #expect(TestSupport.sniff(code) == "text/x-c")
        #expect(try #require(TestSupport.inspect(code, name: "notes.txt").value).type == .text)
    }

    @Test func acceptsAnSVGThatLibmagicCallsText() throws {
        let svg = Array("<!-- exported -->\n".utf8) + Samples.svg
        #expect(TestSupport.sniff(svg) == "text/plain")
        #expect(try #require(TestSupport.inspect(svg, name: "chart.svg").value).type == .svg)
    }

    @Test func rejectsUTF16SVG() throws {
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in String(decoding: Samples.svg, as: UTF8.self).utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let rejection = try #require(TestSupport.inspect(utf16, name: "chart.svg").rejection)
        #expect(rejection.httpStatus == 415)
    }

    @Test func neverEchoesTheFileName() throws {
        let name = "Jane-Doe-HIV-results.pdf"
        let rejection = try #require(TestSupport.inspect(Samples.png, name: name).rejection)
        #expect(!rejection.message.contains("Jane"))
        #expect(!rejection.description.contains("Jane"))
    }
}
