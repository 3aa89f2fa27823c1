import ContentValidation
import Documents
import Testing

@Suite struct UploadRejectionTests {
    @Test func mapsCodesToHTTPStatuses() {
        let cases: [(UploadRejection, String, Int)] = [
            (.empty, "empty_file", 400),
            (.tooLarge(limit: 10 * 1024 * 1024, kind: .image), "file_too_large", 413),
            (.unsupportedType("x"), "unsupported_type", 415),
            (.typeMismatch("x"), "type_mismatch", 415),
            (.unsafeSVG("x"), "unsafe_svg", 415),
            (.missingExtension, "missing_extension", 415),
        ]
        for (rejection, code, status) in cases {
            #expect(rejection.code == code)
            #expect(rejection.httpStatus == status)
            #expect(rejection.description.hasPrefix(code))
        }
    }

    @Test func statesTheLimit() {
        #expect(UploadRejection.tooLarge(limit: 10 * 1024 * 1024, kind: .image).message == "the file exceeds the 10 MiB limit for image files")
        #expect(UploadRejection.tooLarge(limit: 50 * 1024 * 1024, kind: nil).message == "the file exceeds the 50 MiB limit for any file")
        #expect(UploadRejection.tooLarge(limit: 1000, kind: .document).message == "the file exceeds the 1000 bytes limit for document files")
    }
}
