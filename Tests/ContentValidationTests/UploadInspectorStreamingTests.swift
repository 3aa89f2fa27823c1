import ContentValidation
import Documents
import Testing

/// Streaming behaviour: when the type is decided, when size limits trip, and that rejections stick.
@Suite struct UploadInspectorStreamingTests {
    @Test func decidesTheTypeOnceTheHeadIsFull() throws {
        let bytes = Samples.padded(Samples.pdf, to: 200 * 1024, filler: 0x20)
        var inspector = UploadInspector(fileName: "report.pdf", category: .other, sniffer: TestSupport.sniffer)
        var offset = 0
        while offset < bytes.count {
            try TestSupport.consume(bytes[offset..<(offset + 1024)], into: &inspector)
            offset += 1024
            #expect((inspector.decidedType != nil) == (offset >= UploadInspector.headCapacity), "after \(offset) bytes")
        }
        #expect(inspector.decidedType == .pdf)
        #expect(try inspector.finish().size == 200 * 1024)
    }

    @Test func decidesSmallFilesAtFinish() throws {
        var inspector = UploadInspector(fileName: "scan.png", category: .other, sniffer: TestSupport.sniffer)
        try TestSupport.consume(Samples.png[...], into: &inspector)
        #expect(inspector.decidedType == nil)
        #expect(try inspector.finish().type == .png)
    }

    @Test func rejectsAMismatchAsSoonAsTheHeadIsFull() throws {
        let bytes = Samples.padded(Samples.png, to: 128 * 1024)
        #expect(Self.indexOfFailingChunk(bytes, name: "report.pdf", chunkSize: 16 * 1024) == 3)
    }

    /// Feeds `chunkSize` chunks and returns the index of the chunk whose `consume` threw.
    static func indexOfFailingChunk(
        _ bytes: [UInt8],
        name: String,
        chunkSize: Int,
        limits: SizeLimits = .standard,
        code: String? = nil
    ) -> Int? {
        var inspector = UploadInspector(fileName: name, category: .other, sniffer: TestSupport.sniffer, limits: limits)
        var index = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            do throws(UploadRejection) {
                try TestSupport.consume(bytes[offset..<end], into: &inspector)
            } catch {
                if let code, error.code != code { return nil }
                return index
            }
            index += 1
            offset = end
        }
        return nil
    }

    /// Streams `chunkCount` chunks of `chunkSize` bytes (a real header, then filler) and returns the failing index.
    static func indexOfFailingChunk(header: [UInt8], name: String, chunkSize: Int, chunkCount: Int) -> (Int, UploadRejection)? {
        var inspector = UploadInspector(fileName: name, category: .other, sniffer: TestSupport.sniffer)
        let first = Samples.padded(header, to: chunkSize, filler: 0x20)
        let filler = [UInt8](repeating: 0x20, count: chunkSize)
        for index in 0..<chunkCount {
            do throws(UploadRejection) {
                try TestSupport.consume((index == 0 ? first : filler)[...], into: &inspector)
            } catch {
                return (index, error)
            }
        }
        return nil
    }

    @Test func rejectsAnImageInTheChunkThatCrossesTenMiB() throws {
        let mebibyte = 1024 * 1024
        let (index, rejection) = try #require(Self.indexOfFailingChunk(header: Samples.png, name: "scan.png", chunkSize: mebibyte, chunkCount: 20))
        #expect(index == 10)  // chunks 0...9 are exactly 10 MiB, which is allowed
        #expect(rejection.code == "file_too_large")
        #expect(rejection.httpStatus == 413)
        #expect(rejection.message.contains("10 MiB"))
        #expect(rejection.message.contains("image"))
    }

    @Test func rejectsADocumentInTheChunkThatCrosses25MiB() throws {
        let (index, rejection) = try #require(
            Self.indexOfFailingChunk(header: Samples.pdf, name: "report.pdf", chunkSize: 4 * 1024 * 1024, chunkCount: 10)
        )
        #expect(index == 6)  // 7 × 4 MiB = 28 MiB > 25 MiB; 6 × 4 MiB = 24 MiB is fine
        #expect(rejection.message.contains("25 MiB"))
    }

    @Test func rejectsDICOMInTheChunkThatCrossesTheOverallLimit() throws {
        let (index, rejection) = try #require(
            Self.indexOfFailingChunk(header: Samples.dicomWithPreamble, name: "ct.dcm", chunkSize: 8 * 1024 * 1024, chunkCount: 10)
        )
        #expect(index == 6)  // 56 MiB > 50 MiB
        #expect(rejection.message.contains("50 MiB"))
        #expect(rejection.message.contains("any file"))
    }

    @Test func rejectsAnOversizedFirstChunkImmediately() throws {
        let limits = SizeLimits(imageMaxBytes: 1000, documentMaxBytes: 2000, overallMaxBytes: 3000)
        #expect(Self.indexOfFailingChunk(Samples.padded(Samples.png, to: 5000), name: "scan.png", chunkSize: 5000, limits: limits) == 0)
        #expect(Self.indexOfFailingChunk(Samples.padded(Samples.svg, to: 1500, filler: 0x20), name: "a.svg", chunkSize: 100, limits: limits) == 10)
    }

    @Test func acceptsAFileOfExactlyTheLimit() throws {
        let limits = SizeLimits(imageMaxBytes: 70_000, documentMaxBytes: 80_000, overallMaxBytes: 90_000)
        let exact = Samples.padded(Samples.png, to: 70_000)
        #expect(TestSupport.inspect(exact, name: "scan.png", limits: limits).value?.size == 70_000)
        let over = Samples.padded(Samples.png, to: 70_001)
        #expect(TestSupport.inspect(over, name: "scan.png", limits: limits).rejection?.code == "file_too_large")
    }

    @Test func aRejectionSticks() throws {
        var inspector = UploadInspector(fileName: "report.pdf", category: .other, sniffer: TestSupport.sniffer)
        try TestSupport.consume(Samples.png[...], into: &inspector)
        let first = try #require(throws: UploadRejection.self) { try inspector.finish() }
        let again = try #require(throws: UploadRejection.self) { try TestSupport.consume(Samples.pdf[...], into: &inspector) }
        #expect(first == again)
        #expect(first.code == "type_mismatch")
    }

    @Test func emptyChunksChangeNothing() throws {
        var inspector = UploadInspector(fileName: "report.pdf", category: .other, sniffer: TestSupport.sniffer)
        try TestSupport.consume([UInt8]()[...], into: &inspector)
        try TestSupport.consume(Samples.pdf[...], into: &inspector)
        try TestSupport.consume([UInt8]()[...], into: &inspector)
        #expect(try inspector.finish().size == Samples.pdf.count)
    }

    @Test(arguments: [1, 7, 4096])
    func chunkingDoesNotChangeTheOutcome(chunkSize: Int) throws {
        for (sample, name) in [("docx-late-word", "a.docx"), ("dicom-no-preamble", "a.dcm"), ("svg", "a.svg"), ("semicolon-csv", "a.csv")] {
            let result = TestSupport.inspect(Samples.bytes(sample), name: name, chunkSize: chunkSize)
            #expect(result.value != nil, "\(sample) in chunks of \(chunkSize): \(String(describing: result.rejection))")
        }
    }
}
