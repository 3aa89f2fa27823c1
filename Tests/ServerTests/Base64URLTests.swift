import Foundation
import Testing

@testable import Server

/// Unpadded base64url (RFC 4648 §5) both ways: the two characters that differ from base64, no padding out, any
/// padding length in, and refusals.
@Suite struct Base64URLTests {
    @Test func encodesWithTheURLAlphabetAndNoPadding() {
        #expect(Data([0xFB, 0xFF]).base64URLEncodedString == "-_8")
        #expect(Data([0xFB, 0xEF, 0xBE]).base64URLEncodedString == "----")
        #expect(Data("a".utf8).base64URLEncodedString == "YQ")
        #expect(Data().base64URLEncodedString == "")
    }

    @Test("round trips", arguments: [0, 1, 2, 3, 4, 5, 31, 32, 33])
    func roundTrips(length: Int) throws {
        let bytes = Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) })
        let text = bytes.base64URLEncodedString
        #expect(!text.contains { "+/=".contains($0) })
        #expect(try #require(Data(base64URLEncoded: text)) == bytes)
    }

    @Test func refusesWhatIsNotBase64URL() {
        #expect(Data(base64URLEncoded: "a") == nil)
        #expect(Data(base64URLEncoded: "YQ!") == nil)
    }
}
