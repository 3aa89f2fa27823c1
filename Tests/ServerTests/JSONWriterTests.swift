import Documents
import Foundation
import NIOCore
import Persistence
import Testing

@testable import Server

/// ``JSONWriter`` must write exactly what `JSONEncoder` writes with ``JSONResponse``'s options: same field
/// names and order, same escapes, `null` for a missing continuation token.
@Suite struct JSONWriterTests {
    /// Strings that stress escaping: quotes, backslashes, every C0 control, DEL, slashes, non-ASCII in every
    /// UTF-8 length, combining marks (not normalised), the line and paragraph separators, a BOM, markup.
    static let trickyStrings: [String] = [
        "", "plain.pdf", "say \"ahh\".txt", #"back\slash\\"#, "\"", "\\", "\\\"", "a/b/c</script>",
        String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) })), "tab\there\nnew\rline\u{8}\u{C}",
        "\u{0}nul", "\u{1F}\u{7F}", "é", "e\u{301}", "Arztbrief für Jürgen", "日本語.pdf", "🩺📄.png", "\u{2028}\u{2029}",
        "\u{FEFF}bom", "<b>&amp;'</b>", "\u{10FFFF}", "%2F?#[]@!$&'()*+,;=", String(repeating: "x\"", count: 300),
    ]

    private func record(_ text: String, _ index: Int) -> DocumentRecord {
        DocumentRecord(
            id: UUID(),
            key: "patients/P-\(index)/other/\(text)",
            fileName: text.isEmpty ? "x" : text,
            size: Int64(index * 7919 + 1),
            contentType: index.isMultiple(of: 2) ? "application/pdf" : text,
            category: FileCategory.allCases[index % FileCategory.allCases.count],
            entityType: .patient,
            entityID: "P-\(text)",
            sha256: String(repeating: "ab", count: 32),
            etag: "\"etag\"",
            uploadedAt: Date(timeIntervalSince1970: 1_750_000_000 + Double(index) * 86_400.123)
        )
    }

    private func written(_ response: ListResponse) throws -> String {
        let buffer = try JSONResponse(response).body()
        return String(buffer: buffer)
    }

    private func encoded(_ response: ListResponse) throws -> String {
        String(decoding: try JSONResponse<ListResponse>.makeEncoder().encode(response), as: UTF8.self)
    }

    @Test func listPagesAreByteForByteWhatJSONEncoderWrites() throws {
        let files = Self.trickyStrings.enumerated().map { DocumentResponse(record($1, $0)) }
        for response in [
            ListResponse(files: files, isTruncated: true, nextContinuationToken: "cGF0aWVudHMvUC0x"),
            ListResponse(files: Array(files.prefix(1)), isTruncated: false, nextContinuationToken: nil),
            ListResponse(files: [], isTruncated: false, nextContinuationToken: nil),
        ] {
            #expect(try written(response) == encoded(response))
        }
    }

    @Test func everyTrickyStringIsEscapedAsJSONEncoderEscapesIt() throws {
        for text in Self.trickyStrings {
            let response = ListResponse(files: [], isTruncated: true, nextContinuationToken: text)
            #expect(try written(response) == encoded(response), "\(text.unicodeScalars.map { $0.value })")
        }
    }

    /// What a client decodes from a list page.
    private struct DecodedPage: Decodable {
        let files: [DocumentResponse]
        let isTruncated: Bool
        let nextContinuationToken: String?
    }

    @Test func theBodyParsesBackToTheSameValues() throws {
        let files = Self.trickyStrings.enumerated().map { DocumentResponse(record($1, $0)) }
        let buffer = try JSONResponse(ListResponse(files: files, isTruncated: false, nextContinuationToken: nil)).body()
        let data = Data(buffer.readableBytesView)
        // JSONSerialization for the shape (it drops a U+FEFF inside a string on Linux, so not for the values).
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["nextContinuationToken"] is NSNull)
        let shapes = try #require(object["files"] as? [[String: Any]])
        for shape in shapes {
            #expect(
                Set(shape.keys) == [
                    "category", "contentType", "entityId", "entityType", "fileName", "id", "key", "ref", "sha256", "size", "status", "uploadedAt",
                    "url",
                ]
            )
        }
        let page = try JSONDecoder().decode(DecodedPage.self, from: data)
        #expect(page.isTruncated == false)
        #expect(page.nextContinuationToken == nil)
        #expect(page.files.count == files.count)
        for (file, decoded) in zip(files, page.files) {
            for (written, read) in [
                (file.fileName, decoded.fileName), (file.key, decoded.key), (file.entityId, decoded.entityId),
                (file.contentType, decoded.contentType), (file.category, decoded.category), (file.id, decoded.id),
                (file.uploadedAt, decoded.uploadedAt), (file.url, decoded.url), (file.sha256, decoded.sha256),
            ] {
                #expect(Array(written.unicodeScalars) == Array(read.unicodeScalars))
            }
            #expect(decoded.size == file.size)
        }
    }
}
