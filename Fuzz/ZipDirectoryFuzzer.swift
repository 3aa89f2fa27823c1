import Documents

@testable import ContentValidation

/// libFuzzer's entry point for the `zip-directory` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZipDirectory(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ZipDirectoryFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Fuzzes the ZIP central directory reader that confirms .docx and .xlsx uploads.
///
/// Input: an ``ArchiveWindow`` (head, hole, tail). Invariants, besides never crashing or hanging: what the reader
/// reports is in the bytes it was given (an entry named `[Content_Types].xml`, names starting `word/` or `xl/`),
/// and the .docx/.xlsx confirmation built on it only ever answers with an upload rejection.
enum ZipDirectoryFuzzer {
    static func run(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let window = ArchiveWindow(&input)
        if let directory = try? ZipDirectory(head: window.head, tail: window.tail, totalSize: window.totalSize) {
            let kept = window.keptBytes
            invariant(!directory.hasContentTypes || occurs("[Content_Types].xml".utf8, in: kept), "[Content_Types].xml found in thin air")
            invariant(!directory.hasWordEntries || occurs("word/".utf8, in: kept), "a word/ entry found in thin air")
            invariant(!directory.hasSpreadsheetEntries || occurs("xl/".utf8, in: kept), "an xl/ entry found in thin air")
        }
        for type in [AllowedType.docx, .xlsx] {
            _ = try? ContentTypePolicy.confirmOfficeOpenXML(type, head: window.head, tail: window.tail, totalSize: window.totalSize)
        }
    }
}
