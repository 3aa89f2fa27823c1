import Foundation
import Testing

@testable import SigV4

/// The byte-level encoders against references written independently here, byte by byte.
@Suite("URIEncoding")
struct URIEncodingTests {
    /// AWS `UriEncode` of one byte, from the definition: unreserved kept, `/` kept in paths, else `%XX` uppercase.
    static func reference(_ byte: UInt8, keepSlash: Bool) -> [UInt8] {
        let unreserved = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)
        if unreserved.contains(byte) || (keepSlash && byte == UInt8(ascii: "/")) { return [byte] }
        return Array(String(format: "%%%02X", byte).utf8)
    }

    static func reference(_ bytes: [UInt8], keepSlash: Bool) -> [UInt8] {
        bytes.flatMap { self.reference($0, keepSlash: keepSlash) }
    }

    /// Inputs mixing long kept runs, escapes at the start and end, and every byte value.
    static let samples: [[UInt8]] = [
        [], Array("plain-key_1.txt~".utf8), Array("/medvault/patients/P-1001/lab results/report (1).pdf".utf8),
        Array("inline; filename=\"report.pdf\"; filename*=UTF-8''report.pdf".utf8), Array(" leading and trailing ".utf8),
        Array(0...255), Array((0...255).reversed()), Array("ሴ é/%2F+".utf8), [UInt8](repeating: 0x20, count: 3_000),
    ]

    @Test("every byte 0...255 encodes as the reference, with and without keepSlash")
    func everyByte() {
        for keepSlash in [false, true] {
            for byte in UInt8.min...UInt8.max {
                var output: [UInt8] = []
                URIEncoding.appendEncoded([byte], keepSlash: keepSlash, to: &output)
                #expect(output == Self.reference(byte, keepSlash: keepSlash), "byte \(byte), keepSlash \(keepSlash)")
            }
        }
    }

    @Test("longer inputs append after what the buffer holds, contiguous or not")
    func sequences() {
        for keepSlash in [false, true] {
            for sample in Self.samples {
                let expected = Array("prefix".utf8) + Self.reference(sample, keepSlash: keepSlash)
                var contiguous = Array("prefix".utf8)
                URIEncoding.appendEncoded(sample, keepSlash: keepSlash, to: &contiguous)
                #expect(contiguous == expected)
                // A lazy map has no contiguous storage: the fallback must give the same bytes.
                var lazy = Array("prefix".utf8)
                URIEncoding.appendEncoded(sample.lazy.map { $0 }, keepSlash: keepSlash, to: &lazy)
                #expect(lazy == expected)
            }
        }
    }

    @Test("the encoded order is compared without encoding, and equals the order of the encodings")
    func encodedOrder() {
        var inputs = Self.samples + (UInt8.min...UInt8.max).map { [$0] }
        inputs += [Array("a/b".utf8), Array("a.b".utf8), Array("a b".utf8), Array("a".utf8), Array("a%".utf8), Array("A".utf8)]
        let encoded = inputs.map { Self.reference($0, keepSlash: false) }
        for (lhs, left) in zip(inputs, encoded) {
            for (rhs, right) in zip(inputs, encoded) {
                let expected = left == right ? 0 : (left.lexicographicallyPrecedes(right) ? -1 : 1)
                #expect(URIEncoding.compareEncoded(lhs, rhs) == expected)
                #expect(URIEncoding.compareEncoded(lhs.lazy.map { $0 }, rhs) == expected)
            }
        }
        // Not the order of the decoded bytes: `.` (0x2E) < `/` (0x2F), but `%2F` < `.`.
        #expect(URIEncoding.compareEncoded("a/b".utf8, "a.b".utf8) < 0)
    }

    @Test("lowercase hex of every byte, appended or written in place")
    func lowerHex() {
        let bytes = [UInt8](0...255)
        let expected = Array(bytes.map { String(format: "%02x", $0) }.joined().utf8)
        var appended = Array("x".utf8)
        bytes.withUnsafeBytes { URIEncoding.appendLowerHex($0, to: &appended) }
        #expect(appended == Array("x".utf8) + expected)
        var written = [UInt8](repeating: 0, count: 2 * bytes.count)
        written.withUnsafeMutableBufferPointer { output in bytes.withUnsafeBytes { URIEncoding.writeLowerHex($0, to: output) } }
        #expect(written == expected)
    }
}
