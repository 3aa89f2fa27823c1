import Foundation
import Testing

@testable import Documents

/// The fresh key of a revoked document: same place and file name, a new object UUID, and it parses back.
@Suite struct RevokedKeyTests {
    static let objectID = UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E")!

    @Test(arguments: [
        (
            "patients/P1/lab-results/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b-Röntgen 1.png",
            "patients/P1/lab-results/0f8fad5b-d9cb-469f-a165-70867728950e-Röntgen 1.png"
        ),
        ("temp/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b-a.pdf", "temp/0f8fad5b-d9cb-469f-a165-70867728950e-a.pdf"),
        (
            "archived/providers/D-1/other/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b-a.pdf",
            "archived/providers/D-1/other/0f8fad5b-d9cb-469f-a165-70867728950e-a.pdf"
        ),
    ])
    func movesToAFreshObjectName(old: String, fresh: String) throws {
        let key = try DocumentKey(parsing: old)
        let revoked = KeyLayout.revokedKey(for: key, objectID: Self.objectID)
        #expect(revoked.rawValue == fresh)
        #expect(revoked.documentID == Self.objectID)
        #expect(revoked.fileName == key.fileName)
        let reparsed = try DocumentKey(parsing: revoked.rawValue)
        #expect(reparsed.location == revoked.location)
        #expect(reparsed.documentID == revoked.documentID)
    }
}
