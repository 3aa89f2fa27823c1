import Documents
import Testing

@testable import Server

/// `MEDVAULT_CLOUDFRONT_CATEGORIES`: all categories by default, only known names otherwise.
@Suite struct CloudFrontSettingsTests {
    @Test func unsetOrBlankMeansEveryCategory() throws {
        for text in [nil, "", " , ,"] {
            #expect(try CloudFrontSettings.parseCategories(text) == Set(FileCategory.allCases))
        }
    }

    @Test func namesAreTrimmedAndKept() throws {
        #expect(try CloudFrontSettings.parseCategories(" imaging,lab-results ,imaging") == [.imaging, .labResults])
    }

    @Test func anUnknownNameIsRefused() {
        for text in ["imaging,x-rays", "Imaging", "forms"] {
            #expect(throws: ConfigurationError.self, "\(text)") { try CloudFrontSettings.parseCategories(text) }
        }
    }
}
