import NIOCore
import Testing

@testable import Multipart

/// A deterministic random number generator (SplitMix64), so random splits are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// One part of a body built by a test: the raw header lines to send, the body, and what the parser should report.
struct TestPart {
    var headerLines: [String]
    var body: [UInt8]
    var name: String
    var fileName: String?
    var contentType: String?

    static func field(_ name: String, _ value: String) -> TestPart {
        TestPart(headerLines: ["Content-Disposition: form-data; name=\"\(name)\""], body: Array(value.utf8), name: name)
    }

    static func file(_ name: String, fileName: String, contentType: String, body: [UInt8]) -> TestPart {
        TestPart(
            headerLines: ["Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"", "Content-Type: \(contentType)"],
            body: body,
            name: name,
            fileName: fileName,
            contentType: contentType
        )
    }
}

/// A multipart/form-data body built by a test, encoded as RFC 7578 / RFC 2046 say.
struct TestForm {
    var boundary: String
    var parts: [TestPart]
    var preamble = ""
    var epilogue = ""
    var padding = ""

    func encoded() -> [UInt8] {
        var out: [UInt8] = preamble.isEmpty ? [] : Array((preamble + "\r\n").utf8)
        for part in parts {
            out += Array("--\(boundary)\(padding)\r\n".utf8)
            for line in part.headerLines { out += Array("\(line)\r\n".utf8) }
            out += Array("\r\n".utf8)
            out += part.body
            out += Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\(padding)\(epilogue)".utf8)
        return out
    }
}

/// A part as reassembled from the parser's events.
struct ParsedPart: Equatable {
    var headers: PartHeaders
    var body: [UInt8]
}

/// Feeds `body` to a parser in the chunks that `cuts` delimit, checks the streaming invariants after every call,
/// and reassembles the parts from the events.
func parseChunked(
    _ body: [UInt8],
    boundary: String,
    limits: MultipartLimits = .standard,
    cuts: [Int]
) throws(MultipartError) -> [ParsedPart] {
    var parser = MultipartParser(boundary: boundary, limits: limits)
    var parts: [ParsedPart] = []
    var open = false
    var violations: [String] = []
    var start = 0
    for end in cuts.filter({ $0 > 0 && $0 < body.count }).sorted() + [body.count] where end > start {
        let chunk = ByteBuffer(bytes: body[start..<end])
        start = end
        for event in try parser.parse(chunk) {
            // Plain checks, recorded only on failure: these run for every event of thousands of chunkings.
            switch event {
            case .partBegin(let headers):
                if open { violations.append("partBegin inside a part") }
                open = true
                parts.append(ParsedPart(headers: headers, body: []))
            case .body(let bytes):
                if !open || parts.isEmpty { violations.append("body outside a part") }
                if bytes.readableBytes == 0 { violations.append("empty body event") }
                if bytes.readableBytes > max(chunk.readableBytes, boundary.utf8.count + 3) {
                    violations.append("body event of \(bytes.readableBytes) bytes from a \(chunk.readableBytes)-byte chunk")
                }
                if !parts.isEmpty { parts[parts.count - 1].body += bytes.getBytes(at: bytes.readerIndex, length: bytes.readableBytes) ?? [] }
            case .partEnd:
                if !open { violations.append("partEnd outside a part") }
                open = false
            }
        }
        if parser.bufferedByteCount > limits.maxHeaderBytes + boundary.utf8.count + 4 {
            violations.append("buffered \(parser.bufferedByteCount) bytes")
        }
    }
    try parser.finish()
    if open { violations.append("finish inside a part") }
    if !violations.isEmpty { Issue.record("streaming invariants broken: \(violations.prefix(5))") }
    return parts
}

/// Feeds `body` in chunks of `size` bytes.
func parseChunked(
    _ body: [UInt8],
    boundary: String,
    limits: MultipartLimits = .standard,
    chunkSize size: Int
) throws(MultipartError) -> [ParsedPart] {
    try parseChunked(body, boundary: boundary, limits: limits, cuts: Array(stride(from: size, to: body.count, by: size)))
}

/// The error that parsing `body` in chunks of `size` bytes ends with, if any.
func failure(
    of body: [UInt8],
    boundary: String,
    limits: MultipartLimits = .standard,
    chunkSize size: Int = .max
) -> MultipartError? {
    do {
        _ = try parseChunked(body, boundary: boundary, limits: limits, chunkSize: min(size, max(body.count, 1)))
        return nil
    } catch {
        return error
    }
}

/// The parts of a form or of a parse, as comparable values.
struct PartSummary: Equatable, CustomStringConvertible {
    var name: String
    var fileName: String?
    var contentType: String?
    var body: [UInt8]

    var description: String { "\(name) \(fileName ?? "-") \(contentType ?? "-") \(body.count) bytes" }
}

/// Checks parsed parts against the form they were built from, with one expectation (thousands of runs call this).
func expectMatches(_ parsed: [ParsedPart], _ form: TestForm, sourceLocation: SourceLocation = #_sourceLocation) {
    let got = parsed.map { PartSummary(name: $0.headers.name, fileName: $0.headers.fileName, contentType: $0.headers.contentType, body: $0.body) }
    let want = form.parts.map { PartSummary(name: $0.name, fileName: $0.fileName, contentType: $0.contentType, body: $0.body) }
    if got != want {
        Issue.record("parts differ: got \(got), want \(want)", sourceLocation: sourceLocation)
    }
}
