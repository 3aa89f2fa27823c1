import Testing

@testable import Server

/// The lifetime of a `download?presigned=true` URL: the usual bounds, and 15 minutes at most under break-glass.
@Suite struct PresignLifetimeTests {
    @Test func theUsualBounds() throws {
        #expect(try DocumentsController.presignedLifetime(nil, breakGlass: false) == 3600)
        #expect(try DocumentsController.presignedLifetime("60", breakGlass: false) == 60)
        #expect(try DocumentsController.presignedLifetime("604800", breakGlass: false) == 604_800)
        for refused in ["59", "604801", "-1", "1e3", "", "3600 "] {
            #expect(throws: APIError.self, "\(refused)") { try DocumentsController.presignedLifetime(refused, breakGlass: false) }
        }
    }

    @Test func breakGlassURLsLiveAtMost15Minutes() throws {
        #expect(try DocumentsController.presignedLifetime(nil, breakGlass: true) == 900)
        #expect(try DocumentsController.presignedLifetime("900", breakGlass: true) == 900)
        #expect(try DocumentsController.presignedLifetime("60", breakGlass: true) == 60)
        for refused in ["901", "3600", "604800", "59"] {
            let error = #expect(throws: APIError.self, "\(refused)") { try DocumentsController.presignedLifetime(refused, breakGlass: true) }
            #expect(error?.code == "invalid_parameter")
            #expect(error?.message.contains("15 minutes") == true)
        }
    }
}
