import Foundation
import HTTPTypes
import Testing

@testable import Server

/// How long a `signed-url` answer may be cached: until five minutes before the URL expires, never negative.
@Suite struct SignedURLCachingTests {
    let issuedAt = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theDefaultHourIsCachedFor55Minutes() {
        let caching = SignedURLCaching(issuedAt: issuedAt, lifetime: 3600)
        #expect(caching.maxAge == 3300)
        #expect(caching.cacheControl == "private, max-age=3300")
        #expect(caching.expiresAt == issuedAt.addingTimeInterval(3600))
        #expect(caching.refreshAfter == issuedAt.addingTimeInterval(3300))
    }

    @Test func aURLOfFiveMinutesOrLessIsNotCached() {
        for lifetime in [60, 299, 300] {
            let caching = SignedURLCaching(issuedAt: issuedAt, lifetime: lifetime)
            #expect(caching.maxAge == 0, "\(lifetime)")
            #expect(caching.refreshAfter == issuedAt, "\(lifetime)")
            #expect(caching.expiresAt == issuedAt.addingTimeInterval(TimeInterval(lifetime)), "\(lifetime)")
        }
        #expect(SignedURLCaching(issuedAt: issuedAt, lifetime: 301).maxAge == 1)
    }

    @Test func aBadExpiresHasItsOwnCode() {
        for refused in ["59", "604801", "abc", "", "1.5"] {
            let error = #expect(throws: APIError.self, "\(refused)") {
                try DocumentsController.presignedLifetime(refused, breakGlass: false, code: "invalid_expires")
            }
            #expect(error?.code == "invalid_expires")
            #expect(error?.status == .badRequest)
        }
    }
}
