@testable import ContentValidation

/// libFuzzer's entry point for the `svg-scanner` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSVGScanner(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    SVGScannerFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Fuzzes the streaming SVG safety scanner.
///
/// Input: one byte choosing how the SVG is split into chunks, then the SVG. Invariants, besides never crashing or
/// hanging:
/// - the verdict (accepted, or the same rejection) is the same whole and split into chunks;
/// - SVGs that plainly contain active content are rejected: a NUL byte, `javascript:` or `vbscript:`, or one of the
///   dangerous elements, markup declarations or `@import` written out (in any case) and ended like a name is.
enum SVGScannerFuzzer {
    /// Written out in an input, each of these must get it rejected; the scanner's own lists say why.
    static let plainlyUnsafe =
        SVGSafetyScanner.dangerousElements.map { "<\($0)" } + ["<!entity", "<!attlist", "<!element", "<?xml-stylesheet", "@import"]
    static let schemes = ["javascript:", "vbscript:"]

    static func run(_ data: UnsafeRawBufferPointer) {
        var input = FuzzInput(data)
        let seed = input.byte()
        let svg = input.rest()
        let whole = scan(svg, in: [svg[...]])
        let split = scan(svg, in: ChunkSizes.split(svg, seed: seed))
        invariant(whole == split, "the SVG is judged differently whole (\(String(describing: whole))) and in chunks (\(String(describing: split)))")
        if whole == nil, let reason = plainlyUnsafeContent(svg) {
            invariant(false, "an SVG with \(reason) was accepted")
        }
    }

    /// The rejection, or nil when the scanner accepts `svg` fed to it in `chunks` (slices of it).
    private static func scan(_ svg: [UInt8], in chunks: [ArraySlice<UInt8>]) -> UploadRejection? {
        svg.withUnsafeBytes { bytes in
            var scanner = SVGSafetyScanner()
            do throws(UploadRejection) {
                for chunk in chunks { try scanner.scan(UnsafeRawBufferPointer(rebasing: bytes[chunk.indices])) }
                try scanner.finish()
                return nil
            } catch {
                return error
            }
        }
    }

    /// What in `svg` must get it rejected, if anything.
    private static func plainlyUnsafeContent(_ svg: [UInt8]) -> String? {
        if svg.contains(0) { return "a NUL byte" }
        let lowercased = svg.map(CharacterReferenceDecoder.lowercased)
        for scheme in schemes where occurs(scheme.utf8, in: lowercased) { return scheme }
        for name in plainlyUnsafe {
            let needle = Array(name.utf8)
            var start = 0
            while let found = firstIndex(of: needle, in: lowercased, from: start) {
                let end = found + needle.count
                if end == lowercased.count || endsName(lowercased[end]) { return name }
                start = found + 1
            }
        }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        return (start...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// Whether `byte` after a name ends it for sure: whitespace, `>` or `/` (not a character reference or escape).
    private static func endsName(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
    }
}
