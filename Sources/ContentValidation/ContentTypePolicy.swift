import Documents

/// Decides an upload's type from what libmagic sniffed, what the name's extension announces, and the first bytes.
///
/// The rule (DESIGN.md, "Limits and types"): the sniffed type must be on the allow-list and in the same family
/// as the extension; otherwise the upload is refused with a message that says what was found. Exceptions where
/// libmagic 5.44 is known to be vague are resolved here, each by a positive check of the bytes:
/// - `.txt`/`.csv`: `text/plain` and `text/csv` are one family (libmagic calls semicolon CSV `text/plain`), and
///   libmagic's source-code guesses (`text/x-c`, `text/x-makefile`, …) are plain text too: notes that happen to
///   look like code must not be refused. `text/html`, `text/xml` and non-text types are refused.
/// - `.docx`/`.xlsx`: `application/zip` and `application/octet-stream` are provisionally accepted, and every
///   .docx/.xlsx is confirmed by ``ZipDirectory`` at the end. libmagic names OOXML only when `word/`/`xl/` comes
///   early in the archive; otherwise it says `application/zip`, or, when the first entry is
///   `[Content_Types].xml`, "Microsoft OOXML" without a MIME type (`application/octet-stream`).
/// - `.doc`/`.xls`: libmagic names Word and Excel only if it can read the CFB directory within the 64 KiB head;
///   otherwise it says `application/x-ole-storage` (or `application/CDFV2…`). Such files are provisionally
///   accepted and confirmed by ``CompoundFileDirectory`` at the end.
/// - `.dcm`/`.dicom`: `application/octet-stream` is accepted when ``DICOMSignature`` recognises the file meta group.
/// - `.mp4`/`.mov`: libmagic decides from the `ftyp` box's major brand only (and calls an `M4V ` MP4
///   `video/x-m4v`); ``FileTypeBrands`` checks the major and compatible brands before the type is accepted.
/// - `.svg`: `text/xml`, `application/xml` and `text/plain` (an SVG starting with a comment) are accepted when the
///   head contains `<svg`; the SVG safety scan runs either way.
///
/// Before any of this, a script (``ExecutableScript``) is refused under every name, `.txt` included.
enum ContentTypePolicy {
    static let sniffedTypes: [String: AllowedType] = Dictionary(
        uniqueKeysWithValues: AllowedType.allCases.map { ($0.mimeType, $0) }
    )

    /// What libmagic may call a genuine .docx/.xlsx whose kind it could not tell (see above).
    static let zipLike: Set<String> = ["application/zip", "application/octet-stream"]

    /// What libmagic calls an MP4 video: `video/x-m4v` is an MP4 whose major brand is `M4V `.
    static let mp4Sniffed: Set<String> = [AllowedType.mp4.mimeType, "video/x-m4v"]

    /// The decided type, which is always `expected` (or its text sibling) when the content agrees.
    static func decide(expected: AllowedType, fileExtension: String, sniffed: String, head: [UInt8]) throws(UploadRejection) -> AllowedType {
        if let script = ExecutableScript.describe(sniffed: displayable(sniffed), head: head) {
            throw .unsupportedType("file content is \(script), which is not accepted")
        }
        switch expected {
        case .svg where ["text/xml", "application/xml", "text/plain"].contains(sniffed) && containsSVGRoot(head):
            return .svg
        case .dicom where sniffed == "application/octet-stream" && DICOMSignature.startsWithFileMetaElement(head):
            return .dicom
        case .docx where zipLike.contains(sniffed), .xlsx where zipLike.contains(sniffed):
            return expected
        case .doc where isGenericCompoundFile(sniffed), .xls where isGenericCompoundFile(sniffed):
            return expected
        case .text where sniffed.hasPrefix("text/x-"), .csv where sniffed.hasPrefix("text/x-"):
            return expected
        case .mp4 where mp4Sniffed.contains(sniffed), .mov where sniffed == AllowedType.mov.mimeType:
            try FileTypeBrands.confirm(expected, head: head)
            return expected
        default:
            break
        }
        let shown = displayable(sniffed)
        guard let found = sniffedTypes[sniffed] else {
            throw .unsupportedType("file content is \(shown), which is not an accepted type")
        }
        if found == expected || (isText(found) && isText(expected)) { return expected }
        throw .typeMismatch("file content is \(shown) but the name says .\(fileExtension)")
    }

    /// Confirms a .docx/.xlsx from its ZIP central directory; called once the whole file has been seen.
    static func confirmOfficeOpenXML(_ type: AllowedType, head: [UInt8], tail: ArraySlice<UInt8>, totalSize: Int) throws(UploadRejection) {
        let directory: ZipDirectory
        do {
            directory = try ZipDirectory(head: head, tail: tail, totalSize: totalSize)
        } catch .zip64 {
            throw .unsupportedType("file content is a ZIP64 archive, which is not accepted for .\(type.rawValue) files")
        } catch {
            throw .unsupportedType("file content is not a readable ZIP archive, so it cannot be a .\(type.rawValue) file")
        }
        let isWord = directory.hasContentTypes && directory.hasWordEntries
        let isSpreadsheet = directory.hasContentTypes && directory.hasSpreadsheetEntries
        switch type {
        case .docx where isWord, .xlsx where isSpreadsheet:
            return
        case .docx where isSpreadsheet:
            throw .typeMismatch("file content is an Excel workbook (xlsx) but the name says .docx")
        case .xlsx where isWord:
            throw .typeMismatch("file content is a Word document (docx) but the name says .xlsx")
        default:
            let part = type == .docx ? "word/" : "xl/"
            throw .unsupportedType(
                "file content is a ZIP archive without the [Content_Types].xml and \(part) entries of a .\(type.rawValue) file"
            )
        }
    }

    /// Whether libmagic saw an OLE2 compound file but not what is inside.
    static func isGenericCompoundFile(_ sniffed: String) -> Bool {
        sniffed == "application/x-ole-storage" || sniffed.hasPrefix("application/CDFV2")
    }

    /// Confirms a .doc/.xls that libmagic could only call a compound file, from its CFB directory.
    static func confirmCompoundFile(_ type: AllowedType, head: [UInt8], tail: ArraySlice<UInt8>, totalSize: Int) throws(UploadRejection) {
        let directory: CompoundFileDirectory
        do {
            directory = try CompoundFileDirectory(head: head, tail: tail, totalSize: totalSize)
        } catch .notBuffered {
            throw .unsupportedType(
                "file content is an OLE compound file whose directory lies outside the first 64 KiB and the last 256 KiB, "
                    + "so it cannot be confirmed as a .\(type.rawValue) file"
            )
        } catch {
            throw .unsupportedType("file content is not a readable OLE compound file, so it cannot be a .\(type.rawValue) file")
        }
        let isWord = directory.streamNames.contains("WordDocument")
        let isSpreadsheet = directory.streamNames.contains("Workbook") || directory.streamNames.contains("Book")
        switch type {
        case .doc where isWord, .xls where isSpreadsheet:
            return
        case .doc where isSpreadsheet:
            throw .typeMismatch("file content is an Excel workbook (xls) but the name says .doc")
        case .xls where isWord:
            throw .typeMismatch("file content is a Word document (doc) but the name says .xls")
        default:
            throw .unsupportedType("file content is an OLE compound file that is neither a Word document nor an Excel workbook")
        }
    }

    private static func isText(_ type: AllowedType) -> Bool { type == .text || type == .csv }

    /// Whether `<svg` occurs in the head, in any case.
    static func containsSVGRoot(_ head: [UInt8]) -> Bool {
        let needle = Array("<svg".utf8)
        guard head.count >= needle.count else { return false }
        for start in 0...(head.count - needle.count) where head[start] == needle[0] {
            if (1..<needle.count).allSatisfy({ CharacterReferenceDecoder.lowercased(head[start + $0]) == needle[$0] }) { return true }
        }
        return false
    }

    /// libmagic's answer, reduced to MIME-type characters and a sane length before it goes into a message.
    static func displayable(_ sniffed: String) -> String {
        let allowed = sniffed.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || "0123456789/+.-_".unicodeScalars.contains($0)) }
        let text = String(String.UnicodeScalarView(allowed.prefix(100)))
        return text.isEmpty ? "unknown" : text
    }
}
