import NIOCore

@testable import Multipart

/// libFuzzer's entry point for the `multipart` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    MultipartFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Fuzzes the streaming multipart/form-data parser and the boundary parser.
///
/// Input: a Content-Type value (first line; when it yields no boundary, `b` is used), one byte choosing how the body
/// is split into chunks, then the body. Invariants, besides never crashing or hanging:
/// - a boundary taken from a Content-Type is valid and survives being quoted into a Content-Type again;
/// - the body parses to the same parts, or fails with the same error, whole and split into chunks;
/// - events come as partBegin, body…, partEnd; the parser never holds more than one header block or one
///   delimiter prefix between calls;
/// - the limits hold: no more parts than `maxParts`, no field longer than `maxFieldBytes`;
/// - no part's body contains the delimiter, and the parts, written out again as a body, parse to the same parts.
enum MultipartFuzzer {
    /// Small limits, so that inputs of a few hundred bytes reach every one of them.
    static let limits = MultipartLimits(maxHeaderBytes: 256, maxParts: 4, maxFieldBytes: 128)
    /// For parsing the parts written out again: header values were decoded as UTF-8, and each invalid byte became
    /// U+FFFD, which takes three.
    static let rewrittenLimits = MultipartLimits(
        maxHeaderBytes: 3 * limits.maxHeaderBytes,
        maxParts: limits.maxParts,
        maxFieldBytes: limits.maxFieldBytes
    )
    static let fallbackBoundary = "b"

    /// One part as the events describe it.
    struct Part: Equatable {
        var headers: PartHeaders
        var body: [UInt8] = []
    }

    static func run(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let boundary = boundary(fromContentType: input.text(maxLength: 200))
        let seed = input.byte()
        let body = input.rest()

        let whole = parse([body[...]], boundary: boundary)
        let split = parse(ChunkSizes.split(body, seed: seed), boundary: boundary)
        invariant(whole == split, "the body parses differently whole (\(whole)) and in chunks (\(split))")
        guard case .success(let parts) = whole else { return }
        check(parts, boundary: boundary)
        let written = parse([serialized(parts, boundary: boundary)[...]], boundary: boundary, limits: rewrittenLimits)
        invariant(written == whole, "the parts written out again parse to \(written), not \(parts)")
    }

    private static func boundary(fromContentType contentType: String) -> String {
        guard let boundary = MultipartParser.boundary(fromContentType: contentType) else { return fallbackBoundary }
        invariant(MultipartParser.isValidBoundary(boundary), "an invalid boundary was accepted")
        let quoted = MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"\(boundary)\"")
        invariant(quoted == boundary, "the boundary does not survive quoting")
        return boundary
    }

    /// Feeds `chunks` to a parser and collects the parts, checking the order of events and the memory held.
    private static func parse(
        _ chunks: [ArraySlice<UInt8>],
        boundary: String,
        limits: MultipartLimits = limits
    ) -> Result<[Part], MultipartError> {
        var parser = MultipartParser(boundary: boundary, limits: limits)
        let maxBuffered = max(limits.maxHeaderBytes, boundary.utf8.count + 4)
        var parts: [Part] = []
        var isOpen = false
        do throws(MultipartError) {
            for chunk in chunks {
                for event in try parser.parse(ByteBuffer(bytes: chunk)) {
                    switch event {
                    case .partBegin(let headers):
                        invariant(!isOpen, "a part began inside another")
                        parts.append(Part(headers: headers))
                        isOpen = true
                    case .body(let bytes):
                        invariant(isOpen, "body bytes outside a part")
                        parts[parts.count - 1].body.append(contentsOf: bytes.readableBytesView)
                    case .partEnd:
                        invariant(isOpen, "a part ended that had not begun")
                        isOpen = false
                    }
                }
                invariant(parser.bufferedByteCount <= maxBuffered, "the parser holds \(parser.bufferedByteCount) bytes")
            }
            try parser.finish()
        } catch {
            return .failure(error)
        }
        invariant(!isOpen, "the body was accepted with a part still open")
        return .success(parts)
    }

    private static func check(_ parts: [Part], boundary: String) {
        invariant(parts.count <= limits.maxParts, "\(parts.count) parts were accepted")
        let delimiter = Array("\r\n--\(boundary)".utf8)
        for part in parts {
            invariant(!part.headers.name.isEmpty, "a part without a name was accepted")
            invariant(part.headers.fileName != nil || part.body.count <= limits.maxFieldBytes, "a field of \(part.body.count) bytes")
            invariant(!occurs(delimiter, in: part.body), "a part's body contains the delimiter")
        }
    }

    /// The parts as a body: each header field on one line (`name:value`, never longer than as received).
    private static func serialized(_ parts: [Part], boundary: String) -> [UInt8] {
        var body: [UInt8] = []
        for part in parts {
            body += Array("--\(boundary)\r\n".utf8)
            for field in part.headers.fields { body += Array("\(field.name):\(field.value)\r\n".utf8) }
            body += Array("\r\n".utf8) + part.body + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }
}
