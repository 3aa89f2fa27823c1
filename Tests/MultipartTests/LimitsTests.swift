import NIOCore
import Testing

@testable import Multipart

/// `MultipartLimits` are enforced the same way whatever the chunking.
@Suite struct LimitsTests {
    static let chunkSizes = [1, 7, 64, Int.max]

    /// A part whose header block (lines plus blank line) is exactly `size` bytes long.
    static func formWithHeaderBlock(ofSize size: Int) -> TestForm {
        let disposition = "Content-Disposition: form-data; name=\"f\""
        let fixed = disposition.utf8.count + 2 + "X-Pad: ".utf8.count + 2 + 2
        let padding = String(repeating: "p", count: size - fixed)
        return TestForm(boundary: "b", parts: [TestPart(headerLines: [disposition, "X-Pad: \(padding)"], body: [1], name: "f")])
    }

    @Test(arguments: chunkSizes)
    func headerBlockAtTheLimitIsAccepted(chunkSize: Int) throws {
        let limits = MultipartLimits(maxHeaderBytes: 200)
        let form = Self.formWithHeaderBlock(ofSize: 200)
        expectMatches(try parseChunked(form.encoded(), boundary: "b", limits: limits, chunkSize: chunkSize), form)
    }

    @Test(arguments: chunkSizes)
    func headerBlockOverTheLimitIsRejected(chunkSize: Int) {
        let limits = MultipartLimits(maxHeaderBytes: 200)
        let error = failure(of: Self.formWithHeaderBlock(ofSize: 201).encoded(), boundary: "b", limits: limits, chunkSize: chunkSize)
        #expect(error?.code == MultipartError.limitExceededCode)
    }

    @Test func endlessHeaderIsStoppedAtTheStandardLimit() {
        var parser = MultipartParser(boundary: "b")
        var error: MultipartError?
        do {
            _ = try parser.parse(ByteBuffer(string: "--b\r\nX-Long: "))
            for _ in 0..<100 {
                _ = try parser.parse(ByteBuffer(repeating: UInt8(ascii: "a"), count: 1000))
                #expect(parser.bufferedByteCount <= MultipartLimits.standard.maxHeaderBytes)
            }
        } catch let caught {
            error = caught
        }
        #expect(error?.code == MultipartError.limitExceededCode)
    }

    @Test(arguments: chunkSizes)
    func partCountLimit(chunkSize: Int) throws {
        let limits = MultipartLimits(maxParts: 3)
        let three = TestForm(boundary: "b", parts: (1...3).map { .field("f\($0)", "v") })
        expectMatches(try parseChunked(three.encoded(), boundary: "b", limits: limits, chunkSize: chunkSize), three)
        let four = TestForm(boundary: "b", parts: (1...4).map { .field("f\($0)", "v") })
        #expect(failure(of: four.encoded(), boundary: "b", limits: limits, chunkSize: chunkSize)?.code == MultipartError.limitExceededCode)
    }

    @Test func standardLimitsAllowSixtyFourParts() throws {
        let form = TestForm(boundary: "b", parts: (1...64).map { .field("f\($0)", "\($0)") })
        expectMatches(try parseChunked(form.encoded(), boundary: "b", cuts: []), form)
        let tooMany = TestForm(boundary: "b", parts: (1...65).map { .field("f\($0)", "\($0)") })
        #expect(failure(of: tooMany.encoded(), boundary: "b")?.code == MultipartError.limitExceededCode)
    }

    @Test(arguments: chunkSizes)
    func fieldValueLimitAppliesToFieldsOnly(chunkSize: Int) throws {
        let limits = MultipartLimits(maxFieldBytes: 10)
        let fits = TestForm(
            boundary: "b",
            parts: [
                .field("a", "0123456789"),
                .file("f", fileName: "big.bin", contentType: "application/octet-stream", body: Array(repeating: 7, count: 500)),
            ]
        )
        expectMatches(try parseChunked(fits.encoded(), boundary: "b", limits: limits, chunkSize: chunkSize), fits)
        let tooLong = TestForm(boundary: "b", parts: [.field("a", "0123456789X")])
        #expect(failure(of: tooLong.encoded(), boundary: "b", limits: limits, chunkSize: chunkSize)?.code == MultipartError.limitExceededCode)
    }

    /// A form with one field and a preamble or epilogue of `size` bytes of CR, LF and text mixed, so that bytes
    /// which may begin a delimiter are counted however the chunks fall.
    static func form(preamble: Int = 0, epilogue: Int = 0) -> TestForm {
        let filler = { (count: Int) in String(decoding: (0..<count).map { Array("ab\r\n-".utf8)[$0 % 5] }, as: UTF8.self) }
        return TestForm(boundary: "b", parts: [.field("f", "v")], preamble: filler(preamble), epilogue: filler(epilogue))
    }

    @Test(arguments: chunkSizes)
    func preambleAtTheLimitIsAccepted(chunkSize: Int) throws {
        let limits = MultipartLimits(maxPreambleBytes: 100)
        let form = Self.form(preamble: 100)
        expectMatches(try parseChunked(form.encoded(), boundary: "b", limits: limits, chunkSize: chunkSize), form)
    }

    @Test(arguments: chunkSizes)
    func preambleOverTheLimitIsMalformed(chunkSize: Int) {
        let limits = MultipartLimits(maxPreambleBytes: 100)
        let error = failure(of: Self.form(preamble: 101).encoded(), boundary: "b", limits: limits, chunkSize: chunkSize)
        #expect(error?.code == MultipartError.malformedCode)
    }

    @Test(arguments: chunkSizes)
    func epilogueAtTheLimitIsAccepted(chunkSize: Int) throws {
        let limits = MultipartLimits(maxEpilogueBytes: 100)
        let form = Self.form(epilogue: 100)
        expectMatches(try parseChunked(form.encoded(), boundary: "b", limits: limits, chunkSize: chunkSize), form)
    }

    @Test(arguments: chunkSizes)
    func epilogueOverTheLimitIsMalformed(chunkSize: Int) {
        let limits = MultipartLimits(maxEpilogueBytes: 100)
        let error = failure(of: Self.form(epilogue: 101).encoded(), boundary: "b", limits: limits, chunkSize: chunkSize)
        #expect(error?.code == MultipartError.malformedCode)
    }

    @Test func standardLimitsAllowFourKiBOfPreambleAndEpilogue() throws {
        let fits = Self.form(preamble: 4096, epilogue: 4096)
        expectMatches(try parseChunked(fits.encoded(), boundary: "b", cuts: []), fits)
        #expect(failure(of: Self.form(preamble: 4097).encoded(), boundary: "b")?.code == MultipartError.malformedCode)
        #expect(failure(of: Self.form(epilogue: 4097).encoded(), boundary: "b")?.code == MultipartError.malformedCode)
    }

    @Test func endlessEpilogueIsStoppedWithoutReadingItAll() {
        var parser = MultipartParser(boundary: "b")
        var error: MultipartError?
        var fed = 0
        do {
            _ = try parser.parse(ByteBuffer(bytes: Self.form().encoded()))
            for _ in 0..<1000 {
                fed += 1000
                _ = try parser.parse(ByteBuffer(repeating: UInt8(ascii: "e"), count: 1000))
            }
        } catch let caught {
            error = caught
        }
        #expect(error?.code == MultipartError.malformedCode)
        #expect(fed == 5000)
    }
}
