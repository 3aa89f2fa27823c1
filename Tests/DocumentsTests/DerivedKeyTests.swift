import Foundation
import Testing

@testable import Documents

@Suite("Derived keys (a document's variants)")
struct DerivedKeyTests {
    private let id = UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E")!

    @Test("a variant lives under its document's id, in lowercase, with the variant as the last segment")
    func layout() {
        #expect(DerivedKey(documentID: id, variant: .thumbnail).rawValue == "derived/0f8fad5b-d9cb-469f-a165-70867728950e/thumbnail")
        #expect(DerivedKey(documentID: id, variant: .poster).description == "derived/0f8fad5b-d9cb-469f-a165-70867728950e/poster")
        #expect(DerivedKey.folder(of: id) == "derived/0f8fad5b-d9cb-469f-a165-70867728950e/")
        for variant in DocumentVariant.allCases {
            #expect(DerivedKey(documentID: id, variant: variant).rawValue.hasPrefix(DerivedKey.folder(of: id)))
        }
    }

    @Test("derived keys are not document keys, so download?key= cannot name them")
    func notADocumentKey() {
        for variant in DocumentVariant.allCases {
            #expect(throws: KeyLayoutError.self) { try DocumentKey(parsing: DerivedKey(documentID: id, variant: variant).rawValue) }
        }
    }

    @Test("the variant names are the wire format")
    func wireNames() {
        #expect(DocumentVariant.allCases.map(\.rawValue) == ["thumbnail", "mobile", "poster"])
    }
}
