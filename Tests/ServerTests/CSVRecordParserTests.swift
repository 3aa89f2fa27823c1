import Testing

@testable import Server

@Suite("The manifest's CSV reader (RFC 4180)")
struct CSVRecordParserTests {
    /// Parses `text` fed in chunks of `chunk` bytes, so that every state survives a chunk boundary.
    static func parse(_ text: String, chunk: Int = 1) throws(ManifestError) -> [[String]] {
        var parser = CSVRecordParser()
        var records: [[String]] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            records += try parser.consume(bytes[start..<end]).map(\.fields)
            start = end
        }
        if let last = try parser.finish() { records.append(last.fields) }
        return records
    }

    @Test("plain fields, CRLF and LF line breaks, no final line break, empty lines skipped", arguments: [1, 3, 1024])
    func plain(chunk: Int) throws {
        #expect(try Self.parse("a,b,c\r\n1,2,3\n\n4,,6", chunk: chunk) == [["a", "b", "c"], ["1", "2", "3"], ["4", "", "6"]])
    }

    @Test("quoted fields hold commas, doubled quotes and line breaks", arguments: [1, 2, 1024])
    func quoted(chunk: Int) throws {
        let text = "source,fileName\r\n\"/data/a, b.pdf\",\"say \"\"hi\"\"\"\r\n\"line\r\nbreak\",\"\"\r\n"
        #expect(try Self.parse(text, chunk: chunk) == [["source", "fileName"], ["/data/a, b.pdf", "say \"hi\""], ["line\r\nbreak", ""]])
    }

    @Test("a UTF-8 byte order mark before the header is dropped; UTF-8 in fields is kept", arguments: [1, 1024])
    func byteOrderMark(chunk: Int) throws {
        #expect(try Self.parse("\u{FEFF}source,fileName\nä.pdf,\"é\"\n", chunk: chunk) == [["source", "fileName"], ["ä.pdf", "é"]])
    }

    @Test("records report the line they start on")
    func lines() throws {
        var parser = CSVRecordParser()
        let records = try parser.consume(Array("h\n\"a\nb\"\nc\n".utf8))
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test(
        "ambiguous text is refused with its line",
        arguments: [
            ("a,b\nx\"y,z\n", 2),  // a quote inside an unquoted field
            ("a,b\n\"x\"y,z\n", 2),  // text after a closing quote
            ("a,b\n\"open,z\n", 2),  // a quote never closed
        ]
    )
    func refused(text: String, line: Int) {
        #expect {
            try Self.parse(text)
        } throws: { error in
            guard case .malformed(let at, _) = error as? ManifestError else { return false }
            return at == line
        }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        var parser = CSVRecordParser()
        #expect(throws: ManifestError.self) { _ = try parser.consume([0x61, 0xFF, 0x0A]) }
    }

    @Test("the header names columns in any order; a missing required column or a short row is a manifest error")
    func columns() throws {
        let columns = try ManifestColumns(header: ["entityId", "note", "category", "fileName", "entityType", "source", "uploadedBy"])
        let row = try columns.row((line: 2, fields: ["P-1", "x", "lab-results", "a.pdf", "patient", "/a.pdf", "a@b.c"]))
        #expect(
            row
                == ManifestRow(
                    line: 2,
                    source: "/a.pdf",
                    fileName: "a.pdf",
                    category: "lab-results",
                    entityType: "patient",
                    entityID: "P-1",
                    uploadedAt: "",
                    uploadedBy: "a@b.c"
                )
        )
        #expect(throws: ManifestError.missingColumns(["fileName", "entityId"])) {
            try ManifestColumns(header: ["source", "category", "entityType"])
        }
        #expect(throws: ManifestError.duplicateColumn("source")) {
            try ManifestColumns(header: ["source", "source"])
        }
        #expect(throws: ManifestError.fieldCount(line: 3, expected: 7, found: 2)) {
            try columns.row((line: 3, fields: ["a", "b"]))
        }
    }

    @Test("report fields are quoted only when they must be")
    func reportQuoting() {
        #expect(ImportReport.quoted("plain") == "plain")
        #expect(ImportReport.quoted("a,b") == "\"a,b\"")
        #expect(ImportReport.quoted("say \"hi\"\n") == "\"say \"\"hi\"\"\n\"")
    }
}
