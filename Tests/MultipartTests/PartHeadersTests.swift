import NIOCore
import Testing

@testable import Multipart

/// Content-Disposition and Content-Type parsing of part headers (RFC 7578 §4.2, §4.4; RFC 5987).
@Suite struct PartHeadersTests {
    /// Parses a body with one part whose header lines are `lines`, fed in 3-byte chunks to cross every header byte.
    func headers(_ lines: [String]) throws(MultipartError) -> PartHeaders? {
        let form = TestForm(boundary: "B0undary", parts: [TestPart(headerLines: lines, body: Array("data".utf8), name: "")])
        let parts = try parseChunked(form.encoded(), boundary: "B0undary", chunkSize: 3)
        #expect(parts.count == 1)
        #expect(parts.first?.body == Array("data".utf8))
        return parts.first?.headers
    }

    func failureCode(_ lines: [String]) -> String? {
        let form = TestForm(boundary: "B0undary", parts: [TestPart(headerLines: lines, body: [], name: "")])
        return failure(of: form.encoded(), boundary: "B0undary")?.code
    }

    @Test func plainFieldHasNoFileName() throws {
        let parsed = try headers(["Content-Disposition: form-data; name=\"category\""])
        #expect(parsed?.name == "category")
        #expect(parsed?.fileName == nil)
        #expect(parsed?.contentType == nil)
    }

    @Test func quotedFileNameWithEscapedQuotes() throws {
        let parsed = try headers([#"Content-Disposition: form-data; name="file"; filename="my \"scan\" (1).pdf""#])
        #expect(parsed?.fileName == #"my "scan" (1).pdf"#)
    }

    @Test func backslashBeforeOtherCharactersIsKept() throws {
        let parsed = try headers([#"Content-Disposition: form-data; name="file"; filename="C:\scans\x\\y.pdf""#])
        #expect(parsed?.fileName == #"C:\scans\x\y.pdf"#)
    }

    @Test func semicolonInsideQuotedFileName() throws {
        let parsed = try headers([#"Content-Disposition: form-data; filename="a; name=b.txt"; name="file""#])
        #expect(parsed?.name == "file")
        #expect(parsed?.fileName == "a; name=b.txt")
    }

    @Test func utf8FileNameSentRaw() throws {
        let parsed = try headers(["Content-Disposition: form-data; name=\"file\"; filename=\"Röntgen 胸部.dcm\""])
        #expect(parsed?.fileName == "Röntgen 胸部.dcm")
    }

    @Test func rfc5987FileNameWinsOverPlainFileName() throws {
        let parsed = try headers([
            "Content-Disposition: form-data; name=\"file\"; filename=\"EUR rates.txt\"; filename*=UTF-8''%e2%82%ac%20rates.txt"
        ])
        #expect(parsed?.fileName == "€ rates.txt")
    }

    @Test func rfc5987FileNameAloneWithLanguageAndLatin1() throws {
        let utf8 = try headers(["Content-Disposition: form-data; name=\"f\"; filename*=utf-8'en'Befund%20M%C3%BCller.pdf"])
        #expect(utf8?.fileName == "Befund Müller.pdf")
        let latin1 = try headers(["Content-Disposition: form-data; name=\"f\"; filename*=ISO-8859-1''M%FCller.pdf"])
        #expect(latin1?.fileName == "Müller.pdf")
    }

    @Test(
        "invalid RFC 5987 file names are rejected",
        arguments: ["UTF-8''%E2%82", "UTF-8''%zz.txt", "UTF-8''%4", "no-quotes", "KOI8-R''abc"]
    )
    func invalidExtendedFileName(value: String) {
        #expect(failureCode(["Content-Disposition: form-data; name=\"f\"; filename*=\(value)"]) == MultipartError.malformedCode)
    }

    @Test func emptyFileNameMeansAnEmptyFileInput() throws {
        let parsed = try headers(["Content-Disposition: form-data; name=\"file\"; filename=\"\"", "Content-Type: application/octet-stream"])
        #expect(parsed?.fileName == "")
    }

    @Test func headerNamesAndParametersAreCaseInsensitive() throws {
        let parsed = try headers(["content-TYPE:   image/png  ", "CONTENT-DISPOSITION: Form-Data; NAME=photo; FileName=x-ray.png", "X-Extra: 1"])
        #expect(parsed?.name == "photo")
        #expect(parsed?.fileName == "x-ray.png")
        #expect(parsed?.contentType == "image/png")
        #expect(parsed?.value(for: "x-extra") == "1")
        #expect(parsed?.fields.map(\.name) == ["content-TYPE", "CONTENT-DISPOSITION", "X-Extra"])
    }

    @Test func foldedHeaderLinesAreJoined() throws {
        let parsed = try headers(["Content-Disposition: form-data;", "\tname=\"folded\"", "Content-Type: text/plain;", "  charset=utf-8"])
        #expect(parsed?.name == "folded")
        #expect(parsed?.contentType == "text/plain; charset=utf-8")
    }

    @Test func missingContentDispositionIsMalformed() {
        #expect(failureCode(["Content-Type: text/plain"]) == MultipartError.malformedCode)
        #expect(failureCode([]) == MultipartError.malformedCode)
    }

    @Test(
        "malformed header blocks are rejected",
        arguments: [
            ["Content-Disposition: form-data"],
            ["Content-Disposition: form-data; name=\"\""],
            ["Content-Disposition: form-data; filename=\"a.txt\""],
            ["Content-Disposition: attachment; name=\"file\""],
            ["Content-Disposition: form-data; name=\"unterminated"],
            ["Content-Disposition: form-data; name=\"a\" trailing"],
            ["Content-Disposition: form-data; name"],
            ["Content-Disposition: form-data; name=\"a\"; name=\"b\""],
            ["Content-Disposition: form-data; name=\"a\"", "Content-Disposition: form-data; name=\"b\""],
            ["Content-Disposition: form-data; name=\"a\"", "Content-Type: text/plain", "Content-Type: image/png"],
            ["Content-Disposition: form-data; name=\"a\"", "no colon here"],
            ["Content-Disposition: form-data; name=\"a\"", ": empty name"],
            ["Content-Disposition: form-data; name=\"a\"", "Bad Name: x"],
            ["Content-Disposition: form-data; name=\"a\"", "X-Bare: cr\rinside"],
            ["Content-Disposition: form-data; name=\"a\"", "X-Bare: lf\ninside"],
            [" folded-first-line: x", "Content-Disposition: form-data; name=\"a\""],
        ]
    )
    func malformedHeaders(lines: [String]) {
        #expect(failureCode(lines) == MultipartError.malformedCode)
    }
}
