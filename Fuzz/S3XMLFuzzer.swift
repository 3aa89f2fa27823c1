@testable import ObjectStorage

/// libFuzzer's entry point for the `s3-xml` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzS3XML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    S3XMLFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Fuzzes the XML reader for S3's answers and the documents read with it (listings, multipart uploads, errors,
/// the dates in them). An answer comes from the network, so it is untrusted input like any other.
///
/// Invariants, besides never crashing or hanging: a document that parses is at most ``S3XMLReader/maximumDepth``
/// deep, and written out again (names with a namespace prefix, text escaped) it parses to the same tree; listings
/// never report negative sizes or an empty continuation token.
enum S3XMLFuzzer {
    static func run(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        if let root = try? S3XMLReader.parse(bytes) {
            invariant(depth(of: root) <= S3XMLReader.maximumDepth, "a document \(depth(of: root)) elements deep was accepted")
            let written = serialized(root)
            let again = Result { () throws(S3XMLError) in try S3XMLReader.parse(written) }
            invariant(again == .success(root), "the document written out again parses to \(again)")
            for text in texts(in: root) {
                _ = S3DateParser.iso8601(text)
                _ = S3DateParser.httpDate(text)
            }
        }
        _ = S3Documents.errorBody(bytes)
        if let page = try? S3Documents.objectPage(bytes) {
            invariant(page.objects.allSatisfy { $0.size >= 0 }, "a listed object has a negative size")
            invariant(page.nextContinuationToken.map { !$0.isEmpty } ?? true, "an empty continuation token")
        }
        _ = try? S3Documents.uploadID(bytes)
        _ = try? S3Documents.resultETag(bytes, rootName: "CompleteMultipartUploadResult")
        _ = try? S3Documents.pendingUploads(bytes)
    }

    private static func depth(of element: S3XMLElement) -> Int {
        1 + (element.children.map(depth(of:)).max() ?? 0)
    }

    private static func texts(in element: S3XMLElement) -> [String] {
        [element.text] + element.children.flatMap(texts(in:))
    }

    /// The element as XML: `<p:name>text<p:child…/></p:name>`. The prefix keeps every local name a name (one
    /// that starts with `!` or `?` would otherwise read as markup); the reader drops it again.
    private static func serialized(_ element: S3XMLElement) -> [UInt8] {
        var bytes = Array("<p:\(element.name)>".utf8)
        bytes += Array(S3Documents.escaped(element.text).utf8)
        for child in element.children { bytes += serialized(child) }
        bytes += Array("</p:\(element.name)>".utf8)
        return bytes
    }
}
