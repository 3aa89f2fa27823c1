import Testing

@testable import Server

@Suite struct ContentDispositionTests {
    @Test func asciiNameIsQuotedAndEncoded() {
        #expect(
            ContentDisposition.value(inline: false, fileName: "report 1.pdf")
                == "attachment; filename=\"report 1.pdf\"; filename*=UTF-8''report%201.pdf"
        )
    }

    @Test func quotesBackslashesAndNonASCIICannotBreakOutOfTheHeader() {
        let value = ContentDisposition.value(inline: true, fileName: "a\"b\\c\u{7F}é.png")
        #expect(value == "inline; filename=\"a_b_c__.png\"; filename*=UTF-8''a%22b%5Cc%7F%C3%A9.png")
    }
}
