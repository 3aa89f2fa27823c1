import Documents
import Testing

@testable import Server

/// The upload widget's categories carry the server's own table, so the page's check before sending agrees with it.
@Suite struct UploadCategoryOptionTests {
    @Test func everyCategoryCarriesItsTypesAndCap() throws {
        let options = UploadCategoryOption.all(selected: .medicalRecords)
        #expect(options.map(\.value) == FileCategory.allCases.map(\.rawValue))
        #expect(options.filter(\.selected).map(\.value) == ["medical-records"])
        let byValue = Dictionary(uniqueKeysWithValues: options.map { ($0.value, $0) })
        let therapy = try #require(byValue["therapy-media"])
        #expect(therapy.extensions.split(separator: ",") == ["jpg", "jpeg", "png", "webp", "mp4", "mov", "webm"])
        #expect(therapy.maxBytes == 0)
        #expect(byValue["profile-photo"]?.maxBytes == 5 << 20)
        #expect(byValue["chat-image"]?.extensions.split(separator: ",").contains("heic") == true)
        let labResults = try #require(byValue["lab-results"])
        #expect(!labResults.extensions.split(separator: ",").contains("mp4"))
        #expect(labResults.extensions.split(separator: ",").contains("pdf"))
    }

    @Test func theWidgetNamesTheVideoLimit() {
        let widget = UploadWidget.forAdministrator(limits: .standard)
        #expect(widget.videoMaxBytes == 500 << 20)
        #expect(widget.videoExtensions == "mp4,mov,webm")
        #expect(widget.limitsText.contains("videos up to 500 MiB, any other file up to 50 MiB."))
    }
}
