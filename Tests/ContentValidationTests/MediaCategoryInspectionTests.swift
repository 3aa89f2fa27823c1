import ContentValidation
import Documents
import Testing

/// The media categories through the real libmagic: each type accepted where the category allows it and refused
/// where it does not, and the category's own size cap and the video limit enforced while streaming.
@Suite struct MediaCategoryInspectionTests {
    @Test(arguments: [
        ("exercise.mp4", MediaSamples.mp4, AllowedType.mp4),
        ("exercise.mov", MediaSamples.mov, .mov),
        ("exercise.webm", MediaSamples.webm, .webm),
        ("exercise.webp", Samples.webp, .webp),
        ("exercise.jpg", Samples.jpeg, .jpeg),
    ])
    func therapyMediaTakesImagesAndVideosByTheirBytes(name: String, bytes: [UInt8], type: AllowedType) {
        let inspected = TestSupport.inspect(bytes, name: name, category: .therapyMedia).value
        #expect(inspected?.type == type)
        #expect(inspected?.mimeType == type.mimeType)
    }

    @Test func verificationAndChatTakeHEIC() {
        #expect(TestSupport.inspect(MediaSamples.heic, name: "id.heic", category: .verificationPhoto).value?.type == .heic)
        #expect(TestSupport.inspect(MediaSamples.heic, name: "photo.heic", category: .chatImage).value?.type == .heic)
    }

    @Test(arguments: [
        ("clip.mp4", MediaSamples.mp4, FileCategory.profilePhoto),
        ("photo.webp", Samples.webp, .profilePhoto),
        ("photo.heic", MediaSamples.heic, .therapyMedia),
        ("scan.heic", MediaSamples.heic, .labResults),
        ("clip.mp4", MediaSamples.mp4, .other),
        ("report.pdf", Samples.pdf, .chatImage),
        ("clip.webm", MediaSamples.webm, .chatImage),
    ])
    func typesOutsideTheCategoryAreRefused(name: String, bytes: [UInt8], category: FileCategory) throws {
        let rejection = try #require(TestSupport.inspect(bytes, name: name, category: category).rejection)
        #expect(rejection.code == "unsupported_type")
        #expect(rejection.message.contains("not accepted in \(category.rawValue)"))
    }

    @Test func aVideoNamedAsAnImageIsAMismatch() throws {
        let rejection = try #require(TestSupport.inspect(MediaSamples.mp4, name: "photo.jpg", category: .therapyMedia).rejection)
        #expect(rejection.code == "type_mismatch")
    }

    @Test func theProfilePhotoCapApplies() throws {
        let over = Samples.padded(Samples.png, to: 5 * 1024 * 1024 + 1)
        let rejection = try #require(TestSupport.inspect(over, name: "me.png", category: .profilePhoto).rejection)
        #expect(rejection.code == "file_too_large")
        #expect(rejection.message == "the file exceeds the 5 MiB limit for profile-photo files")
        let atCap = Samples.padded(Samples.png, to: 5 * 1024 * 1024)
        #expect(TestSupport.inspect(atCap, name: "me.png", category: .profilePhoto).value?.size == atCap.count)
    }

    @Test func aVideoMayExceedTheOverallLimitButNotItsOwn() throws {
        let limits = SizeLimits(imageMaxBytes: 70_000, documentMaxBytes: 80_000, overallMaxBytes: 90_000, videoMaxBytes: 200_000)
        let large = Samples.padded(MediaSamples.mp4, to: 150_000)
        #expect(TestSupport.inspect(large, name: "clip.mp4", limits: limits, category: .therapyMedia).value?.type == .mp4)
        let over = Samples.padded(MediaSamples.mp4, to: 200_001)
        let rejection = try #require(TestSupport.inspect(over, name: "clip.mp4", limits: limits, category: .therapyMedia).rejection)
        #expect(rejection.message == "the file exceeds the 200000 bytes limit for video files")
    }
}
