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
        #expect(QueryParameters(query: "key=a+b%2").get("key") == "a b%2")
        #expect(QueryParameters(query: "key=%").get("key") == "%")
        #expect(QueryParameters(query: "key=a%FFb+c").get("key") == "a%FFb c", "bytes that are not UTF-8")
    }

    @Test func escapedNamesAndMultibyteValuesAreDecoded() {
        let query = QueryParameters(query: "x%2Dy=1&name=Gr%C3%BC%C3%9Fe%20%E2%9C%93&disposition=attachment%3B%20filename%3D%22f.dcm%22")
        #expect(query.get("x-y") == "1")
        #expect(query.get("name") == "Grüße ✓")
        #expect(query.get("disposition") == "attachment; filename=\"f.dcm\"")
    }
}
