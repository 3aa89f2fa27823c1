import NIOCore
import Testing

@testable import Multipart

/// Bodies built here are parsed under every kind of chunking; the reassembled parts must always be identical.
@Suite struct RoundTripTests {
    static let boundary = "----medvaultFormBoundary7MA4YWxkTrZu0gW"

    /// Fields and several files whose contents hold CR, LF, `--` and strings that almost are the delimiter.
    static let form: TestForm = {
        let b = boundary
        var random = SeededGenerator(seed: 0x6D65_6476_6175_6C74)
        let nearMisses = [
            "--\(b)", "\n--\(b)\n", "\r\n--\(b.dropLast())", "\r\n-\(b)", "\r\n--\(b.dropLast())X", "\r\r\n--", "\r\n\r\n",
            "\(b)--", "\r\n--", "\r\n", "\r", "-", "--", "\r\n--\(b.prefix(10))",
        ]
        var tricky: [UInt8] = []
        for (index, nearMiss) in nearMisses.enumerated() {
            tricky += random.bytes(index * 7 % 23 + 1)
            tricky += Array(nearMiss.utf8)
        }
        return TestForm(
            boundary: b,
            parts: [
                .field("category", "lab-results"),
                .field("entityId", "3f1c0e2a-9b1d-4c55-8f5e-0d1b2a3c4d5e"),
                .file("file", fileName: "scan.bin", contentType: "application/octet-stream", body: random.bytes(1500)),
                .file("file", fileName: "tricky.dat", contentType: "application/octet-stream", body: tricky),
                .file("file", fileName: "empty.txt", contentType: "text/plain", body: []),
                .file("file", fileName: "ends-with-cr.txt", contentType: "text/plain", body: Array("line\r\n-\r".utf8)),
                .file("file", fileName: "ends-with-prefix.txt", contentType: "text/plain", body: Array("x\r\n--\(b.prefix(20))".utf8)),
                .field("note", "multi\r\nline\r\n--\r\nvalue"),
            ],
            preamble: "This is the preamble; it is ignored.\r\n--\(b.dropFirst()) is not a boundary.",
            epilogue: "\r\nThe epilogue is ignored too, even --\(b)\r\n."
        )
    }()

    @Test("every chunk size from 1 to 64 gives the same parts", arguments: 1...64)
    func everyChunkSize(size: Int) throws {
        let parsed = try parseChunked(Self.form.encoded(), boundary: Self.boundary, chunkSize: size)
        expectMatches(parsed, Self.form)
    }

    @Test func wholeBodyInOneChunk() throws {
        let body = Self.form.encoded()
        expectMatches(try parseChunked(body, boundary: Self.boundary, cuts: []), Self.form)
    }

    @Test func everyTwoWaySplit() throws {
        let body = Self.form.encoded()
        for cut in 0...body.count {
            expectMatches(try parseChunked(body, boundary: Self.boundary, cuts: [cut]), Self.form)
        }
    }

    @Test func everyThreeWaySplitOfASmallBody() throws {
        let boundary = "xYz"
        // One short part keeps this at a few thousand runs; it still crosses the preamble, the padded boundary
        // line, the header block, near-miss delimiters in the body and the close delimiter at every pair of offsets.
        let form = TestForm(boundary: boundary, parts: [.field("a", "1\r\n--xY\r\r\n--xYZ\r")], preamble: "p", padding: " \t")
        let body = form.encoded()
        for first in 0...body.count {
            for second in first...body.count {
                expectMatches(try parseChunked(body, boundary: boundary, cuts: [first, second]), form)
            }
        }
    }

    @Test func randomSplitsWithAFixedSeed() throws {
        let body = Self.form.encoded()
        var random = SeededGenerator(seed: 42)
        for _ in 0..<300 {
            var cuts: [Int] = []
            var position = 0
            while position < body.count {
                position += Int.random(in: 1...200, using: &random)
                cuts.append(position)
            }
            expectMatches(try parseChunked(body, boundary: Self.boundary, cuts: cuts), Self.form)
        }
    }

    @Test func transportPaddingAfterBoundaryLinesIsTolerated() throws {
        var form = Self.form
        form.padding = " \t  "
        expectMatches(try parseChunked(form.encoded(), boundary: Self.boundary, chunkSize: 5), form)
    }

    @Test func bodyWithoutPreambleStartsWithTheBoundary() throws {
        let form = TestForm(boundary: "b", parts: [.field("x", "1")])
        #expect(form.encoded().starts(with: Array("--b\r\n".utf8)))
        expectMatches(try parseChunked(form.encoded(), boundary: "b", chunkSize: 1), form)
    }

    @Test func bodyWithNoPartsIsEmpty() throws {
        #expect(try parseChunked(Array("--b--\r\n".utf8), boundary: "b", cuts: []).isEmpty)
    }

    @Test func bodySlicesShareTheInputChunksStorage() throws {
        let form = TestForm(boundary: "b", parts: [.file("f", fileName: "a.bin", contentType: "application/octet-stream", body: [1, 2, 3])])
        let chunk = ByteBuffer(bytes: form.encoded())
        var parser = MultipartParser(boundary: "b")
        let events = try parser.parse(chunk)
        guard events.count == 3, case .body(let slice) = events[1] else {
            Issue.record("unexpected events \(events)")
            return
        }
        #expect(slice == ByteBuffer(bytes: [1, 2, 3]))
        // Zero copy: the slice's bytes are the chunk's own bytes, at the body's offset, not a copy of them.
        let bodyOffset = form.encoded().count - "\r\n--b--".utf8.count - 3
        let chunkStart = chunk.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        let sliceStart = slice.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(sliceStart == chunkStart + UInt(bodyOffset))
        try parser.finish()
    }

    @Test func eventsComeInOrder() throws {
        var parser = MultipartParser(boundary: "b")
        let events = try parser.parse(ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nhi\r\n--b--"))
        #expect(
            events == [
                .partBegin(PartHeaders(name: "x", fields: [.init(name: "Content-Disposition", value: "form-data; name=\"x\"")])),
                .body(ByteBuffer(string: "hi")),
                .partEnd,
            ]
        )
        try parser.finish()
    }
}
