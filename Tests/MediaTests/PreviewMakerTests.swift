import Documents
import Testing

@testable import Media

@Suite struct PreviewMakerTests {
    let maker: PreviewMaker

    init() throws {
        maker = try PreviewMaker(concurrency: 2)
    }

    /// Decodes `preview` again with libvips (a thumbnail as large as the image changes nothing) and returns its size.
    private func decodedSize(_ preview: Preview) throws -> (width: Int, height: Int) {
        #expect(preview.contentType == "image/jpeg")
        #expect(preview.bytes.starts(with: [0xFF, 0xD8, 0xFF]))
        let again = try PreviewMaker.renderNow(preview.bytes, box: 4096)
        return (again.width, again.height)
    }

    @Test func aWidePNGFitsEachBoxOnItsLongEdge() async throws {
        let png = TestImages.png(width: 2000, height: 1000)
        let thumbnail = try await maker.render(png, as: .thumbnail)
        #expect((thumbnail.width, thumbnail.height) == (256, 128))
        #expect(try decodedSize(thumbnail) == (256, 128))
        let mobile = try await maker.render(png, as: .mobile)
        #expect((mobile.width, mobile.height) == (1280, 640))
        #expect(try decodedSize(mobile) == (1280, 640))
    }

    @Test func aSourceReadInItsSlotYieldsEveryVariantInOrder() async throws {
        let previews = try await maker.render(DocumentVariant.previews) { TestImages.png(width: 1600, height: 400) }
        #expect(previews.map { [$0.width, $0.height] } == [[256, 64], [1280, 320]])
    }

    @Test func aSmallImageIsNeverEnlarged() async throws {
        let mobile = try await maker.render(TestImages.png(width: 300, height: 200), as: .mobile)
        #expect((mobile.width, mobile.height) == (300, 200))
    }

    @Test func aJPEGIsTurnedUprightFromItsOrientation() async throws {
        let jpeg = try await maker.render(TestImages.png(width: 800, height: 400), as: .mobile).bytes
        let upright = try await maker.render(jpeg, as: .thumbnail)
        #expect((upright.width, upright.height) == (256, 128))
        let rotated = try await maker.render(TestImages.withOrientation(6, jpeg: jpeg), as: .thumbnail)
        #expect((rotated.width, rotated.height) == (128, 256))
    }

    @Test func aPDFsFirstPageIsDrawnAtTheBoxSize() async throws {
        let thumbnail = try await maker.render(TestImages.pdf(width: 612, height: 792), as: .thumbnail)
        #expect(thumbnail.height == 256)
        #expect((197...199).contains(thumbnail.width))
        _ = try decodedSize(thumbnail)
        let mobile = try await maker.render(TestImages.pdf(width: 612, height: 792), as: .mobile)
        #expect(mobile.height == 1280, "a page is drawn at the phone's size, not left at 72 dpi")
    }

    @Test func previewsCarryNoMetadata() async throws {
        let jpeg = try await maker.render(TestImages.png(width: 400, height: 400), as: .mobile).bytes
        let preview = try await maker.render(TestImages.withOrientation(6, jpeg: jpeg), as: .thumbnail)
        #expect(!String(decoding: preview.bytes, as: UTF8.self).contains("Exif"))
    }

    @Test func svgAndGarbageAreNotPreviewable() async throws {
        let svg = Array(#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#.utf8)
        await #expect(throws: PreviewError.notPreviewable) { try await maker.render(svg, as: .thumbnail) }
        await #expect(throws: PreviewError.notPreviewable) { try await maker.render(Array("not an image".utf8), as: .thumbnail) }
        await #expect(throws: PreviewError.notPreviewable) { try await maker.render([], as: .thumbnail) }
    }

    @Test func aPosterIsNotAPreview() async throws {
        await #expect(throws: PreviewError.notPreviewable) { try await maker.render(TestImages.png(width: 10, height: 10), as: .poster) }
    }

    @Test func onlyImagesAndPDFsArePreviewable() {
        for type in ["image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "application/pdf"] {
            #expect(PreviewMaker.isPreviewable(contentType: type))
        }
        for type in ["image/svg+xml", "video/mp4", "application/dicom", "application/msword", "text/plain"] {
            #expect(!PreviewMaker.isPreviewable(contentType: type))
        }
    }
}
