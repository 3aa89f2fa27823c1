import NIOCore
import Testing

@testable import Multipart

/// `MultipartParser.boundary(fromContentType:)` against the Content-Type values clients send (RFC 2046 §5.1.1).
@Suite struct BoundaryExtractionTests {
    @Test(
        "valid Content-Type values",
        arguments: [
            ("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", "----WebKitFormBoundary7MA4YWxkTrZu0gW"),
            ("multipart/form-data; boundary=\"quoted boundary:with=specials?\"", "quoted boundary:with=specials?"),
            ("Multipart/Form-Data;BOUNDARY=abc", "abc"),
            ("multipart/form-data; charset=utf-8; boundary=xyz; foo=bar", "xyz"),
            ("  multipart/form-data  ;  boundary = spaced  ", "spaced"),
            ("multipart/form-data; boundary=" + String(repeating: "x", count: 70), String(repeating: "x", count: 70)),
            ("multipart/form-data; boundary=-------------------------12345678901234567890", "-------------------------12345678901234567890"),
        ]
    )
    func valid(contentType: String, boundary: String) {
        #expect(MultipartParser.boundary(fromContentType: contentType) == boundary)
    }

    @Test(
        "invalid or missing boundaries give nil",
        arguments: [
            "multipart/mixed; boundary=abc",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=\"ends with space \"",
            "multipart/form-data; boundary=" + String(repeating: "x", count: 71),
            "multipart/form-data; boundary=bad\u{7F}char",
            "multipart/form-data; boundary=\"cr\rinside\"",
            "multipart/form-data; boundary=semi\"colon",
            "multipart/form-data; boundary=\"unterminated",
            "multipart/form-data; boundary=\"quote\\\"inside\"",
            "multipart/form-data; boundary=a; boundary=b",
            "multipart/form-data; boundary=ünicode",
            "",
        ]
    )
    func invalid(contentType: String) {
        #expect(MultipartParser.boundary(fromContentType: contentType) == nil)
    }

    @Test func parserRejectsAnInvalidBoundaryOnFirstUse() {
        var parser = MultipartParser(boundary: "bad\r\nboundary")
        #expect(throws: MultipartError.self) { _ = try parser.parse(.init(string: "--x--")) }
        var empty = MultipartParser(boundary: "")
        let error = #expect(throws: MultipartError.self) { try empty.finish() }
        #expect(error?.code == MultipartError.malformedCode)
    }
}
