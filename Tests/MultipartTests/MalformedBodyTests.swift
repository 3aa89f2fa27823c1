import NIOCore
import Testing

@testable import Multipart

/// Bodies that break RFC 2046's syntax: truncation, missing boundaries, garbage on boundary lines.
@Suite struct MalformedBodyTests {
    static let part = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n\r\n"

    @Test(
        "a body cut anywhere before its close delimiter fails at finish",
        arguments: [1, 2, 7, 64, Int.max]
    )
    func truncatedBodies(chunkSize: Int) {
        let complete = Array((Self.part + "0123456789\r\n--b--").utf8)
        for length in 0..<(complete.count - 1) {
            let error = failure(of: Array(complete[0..<length]), boundary: "b", chunkSize: chunkSize)
            #expect(error?.code == MultipartError.malformedCode, "cut at \(length)")
        }
        #expect(failure(of: complete, boundary: "b", chunkSize: chunkSize) == nil)
    }

    @Test func closeDelimiterWithoutFinalDashIsTruncated() {
        let error = failure(of: Array((Self.part + "x\r\n--b-").utf8), boundary: "b")
        #expect(error?.message == "the body ended before the closing boundary")
    }

    @Test func bodyWithoutAnyBoundary() {
        let error = failure(of: Array("just some text\r\n--other--".utf8), boundary: "b")
        #expect(error?.code == MultipartError.malformedCode)
        #expect(error?.message == "the body contains no multipart boundary")
    }

    @Test(
        "garbage after a boundary is rejected",
        arguments: ["--bX\r\n", "--b -\r\n", "--b\rX", "--b\n", "--b-x"]
    )
    func garbageAfterBoundary(line: String) {
        #expect(failure(of: Array((line + "\r\n--b--").utf8), boundary: "b")?.code == MultipartError.malformedCode)
    }

    @Test func delimiterFollowedByGarbageInsideABodyIsRejected() {
        let body = Array((Self.part + "data\r\n--bogus\r\n--b--").utf8)
        #expect(failure(of: body, boundary: "b", chunkSize: 3)?.code == MultipartError.malformedCode)
    }

    @Test func errorsAreSticky() throws {
        var parser = MultipartParser(boundary: "b")
        let first = #expect(throws: MultipartError.self) { _ = try parser.parse(ByteBuffer(string: "--b?")) }
        let second = #expect(throws: MultipartError.self) { _ = try parser.parse(ByteBuffer(string: "\r\n--b--")) }
        let third = #expect(throws: MultipartError.self) { try parser.finish() }
        #expect(first != nil && first == second && second == third)
    }

    @Test func messagesNeverQuoteUserData() {
        let secret = "patient-4711-secret.pdf"
        let lines = [
            "--b\r\nContent-Disposition: attachment; name=\"\(secret)\"\r\n\r\nx\r\n--b--",
            "--b\r\nContent-Disposition: form-data; filename=\"\(secret)\"\r\n\r\nx\r\n--b--",
            "--b\r\n\(secret)\r\n\r\nx\r\n--b--",
        ]
        for body in lines {
            let error = failure(of: Array(body.utf8), boundary: "b")
            #expect(error != nil)
            #expect(error.map { !$0.message.contains("4711") && !"\($0)".contains("4711") } == true)
        }
    }
}
