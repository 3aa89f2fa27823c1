import Access
import Testing

@testable import Server

/// Account input counts as the OpenAPI document's JSON Schema does: lengths in Unicode scalars, one e-mail rule.
@Suite struct NewUserTests {
    @Test func aPasswordOfTwelveScalarsIsLongEnoughWhateverItsCharacters() throws {
        // "e" + U+0301 is one character but two scalars: 6 × 2 = 12 scalars, 6 characters.
        let combining = String(repeating: "e\u{301}", count: 6)
        #expect(try NewUser(email: "a@b.c", role: .admin, password: combining).password == combining)
        #expect(throws: UserInputError.self) { try NewUser(email: "a@b.c", role: .admin, password: String(repeating: "é", count: 11)) }
    }

    @Test func aDisplayNameIsLimitedTo200Scalars() throws {
        // "\r\n" is one character but two scalars.
        let crlf = String(repeating: "ab", count: 50) + String(repeating: "\r\n", count: 50) + "x"
        #expect(crlf.count == 151 && crlf.unicodeScalars.count == 201)
        #expect(throws: UserInputError.self) { try NewUser(email: "a@b.c", role: .admin, displayName: crlf) }
        #expect(try NewUser(email: "a@b.c", role: .admin, displayName: String(crlf.dropLast())).displayName != nil)
    }

    @Test func anAddressIsTakenAsSentAndStoredLowerCased() throws {
        #expect(try NewUser(email: "Jane.Doe@Example.ORG", role: .admin).email == "jane.doe@example.org")
        for refused in [" jane@example.org", "jane@example.org\n", "jane@exa mple.org", "jane@example", "@example.org", "a@b@c.d"] {
            #expect(throws: UserInputError.self, "\(refused.debugDescription)") { try NewUser(email: refused, role: .admin) }
        }
    }
}
