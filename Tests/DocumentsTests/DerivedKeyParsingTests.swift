import Foundation
import Testing

@testable import Documents

@Suite struct DerivedKeyParsingTests {
    static let id = UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E")!

    @Test func parsesWhatItBuilds() {
        for variant in DocumentVariant.allCases {
            let key = DerivedKey(documentID: Self.id, variant: variant)
            #expect(DerivedKey(parsing: key.rawValue) == key)
        }
    }

    @Test(arguments: [
        "derived/0F8FAD5B-D9CB-469F-A165-70867728950E/thumbnail",  // not as built: upper-case id
        "derived/0f8fad5b-d9cb-469f-a165-70867728950e/large",
        "derived/0f8fad5b-d9cb-469f-a165-70867728950e/thumbnail/x",
        "derived/0f8fad5b-d9cb-469f-a165-70867728950e/",
        "derived/../thumbnail",
        "archived/derived/0f8fad5b-d9cb-469f-a165-70867728950e/thumbnail",
        "patients/P1/other/0f8fad5b-d9cb-469f-a165-70867728950e-a.pdf",
    ])
    func refusesAnythingElse(_ text: String) {
        #expect(DerivedKey(parsing: text) == nil)
    }
}
