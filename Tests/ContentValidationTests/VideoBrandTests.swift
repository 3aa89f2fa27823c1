import ContentValidation
import Documents
import Testing

/// The `ftyp` brand check of .mp4 and .mov through the real libmagic, with hand-built boxes: the video brands are
/// accepted, and a HEIC photo, a 3GP clip or an M4A audio file named .mp4 is refused whatever libmagic calls it.
@Suite struct VideoBrandTests {
    @Test(arguments: [
        ("isom", ["isom", "iso2", "avc1", "mp41"]),
        ("iso2", ["isom", "iso2"]),
        ("mp41", [String]()),
        ("mp42", ["mp42", "isom", "3gp4"]),
        ("avc1", ["avc1", "isom"]),
        ("M4V ", ["M4V ", "mp42", "isom"]),
    ])
    func mp4BrandsAreAccepted(major: String, compatible: [String]) {
        let sample = MediaSamples.isoMedia(major: major, compatible: compatible)
        let inspected = TestSupport.inspect(sample, name: "exercise.mp4", category: .therapyMedia)
        #expect(inspected.value?.type == .mp4, "\(inspected)")
        #expect(inspected.value?.mimeType == "video/mp4")
    }

    @Test func quickTimeIsAccepted() {
        let sample = MediaSamples.isoMedia(major: "qt  ", compatible: ["qt  "])
        #expect(TestSupport.inspect(sample, name: "exercise.mov", category: .therapyMedia).value?.type == .mov)
    }

    @Test(arguments: [
        ("heic", ["mif1", "heic"], "type_mismatch"),
        ("isom", ["isom", "heic"], "type_mismatch"),
        ("isom", ["mif1"], "type_mismatch"),
        ("3gp4", ["3gp4", "isom"], "unsupported_type"),
        ("M4A ", ["M4A ", "mp42", "isom"], "unsupported_type"),
        ("mp42", ["mp42", "M4A "], "type_mismatch"),
    ])
    func nonVideoBrandsNamedMP4AreRefused(major: String, compatible: [String], code: String) throws {
        let sample = MediaSamples.isoMedia(major: major, compatible: compatible)
        let rejection = try #require(TestSupport.inspect(sample, name: "exercise.mp4", category: .therapyMedia).rejection)
        #expect(rejection.code == code, "\(rejection)")
        #expect(rejection.httpStatus == 415)
    }

    @Test(arguments: [
        ("isom", ["isom", "mp42"]),
        ("qt  ", ["qt  ", "heic"]),
    ])
    func movNeedsTheQuickTimeBrandAlone(major: String, compatible: [String]) throws {
        let sample = MediaSamples.isoMedia(major: major, compatible: compatible)
        let rejection = try #require(TestSupport.inspect(sample, name: "exercise.mov", category: .therapyMedia).rejection)
        #expect(["type_mismatch", "unsupported_type"].contains(rejection.code), "\(rejection)")
    }

    @Test func aBrokenFtypBoxIsRefused() throws {
        var sample = MediaSamples.isoMedia(major: "isom", compatible: ["isom"])
        sample[3] = 0xFF  // a box size past the end of the head
        let rejection = try #require(TestSupport.inspect(sample, name: "exercise.mp4", category: .therapyMedia).rejection)
        #expect(rejection.httpStatus == 415, "\(rejection)")
    }
}
