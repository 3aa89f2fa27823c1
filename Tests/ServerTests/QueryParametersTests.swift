import Testing

@testable import Server

@Suite struct QueryParametersTests {
    @Test func plusIsASpaceAndEscapesAreDecoded() {
        let query = QueryParameters(query: "key=patients/P-1/forms/a+b%2Bc%20d.pdf&q=my+scan")
        #expect(query.get("key") == "patients/P-1/forms/a b+c d.pdf")
        #expect(query.get("q") == "my scan")
    }

    @Test func repeatedAndEmptyParametersAreKept() {
        let query = QueryParameters(query: "id=1&id=2&flag&empty=")
        #expect(query.getAll("id") == ["1", "2"])
        #expect(query.get("flag") == "")
        #expect(query.get("empty") == "")
        #expect(query.get("missing") == nil)
    }

    @Test func invalidEscapesStayRawSoTheKeyRulesRefuseThem() {
        #expect(QueryParameters(query: "key=a%zz").get("key") == "a%zz")
    }
}
