import Testing

@testable import Server

@Suite struct ContinuationTokenTests {
    @Test func roundTripsAnyKeyThroughAURLSafeToken() {
        let key = "patients/P-1/forms/0f8fad5b-d9cb-469f-a165-70867728950e-a+b/é?.pdf"
        let token = ContinuationToken.encode(key)
        #expect(!token.contains("+") && !token.contains("/") && !token.contains("="))
        #expect(ContinuationToken.decode(token) == key)
    }

    @Test func garbageDoesNotDecode() {
        #expect(ContinuationToken.decode("***") == nil)
        #expect(ContinuationToken.decode(String(repeating: "A", count: 5000)) == nil)
    }
}
