import Foundation
import Testing

@testable import Documents

@Suite struct KeyLayoutTests {
    static let documentID = UUID(uuidString: "3F2A9C1E-5B7D-4E8F-9A0B-1C2D3E4F5A6B")!

    @Test func buildsTheDocumentedLayout() throws {
        let key = KeyLayout.documentKey(
            entityType: .patient,
            entityID: try EntityID(validating: "P1"),
            category: .consentForms,
            documentID: Self.documentID,
            fileName: "consent.pdf"
        )
        #expect(key.rawValue == "patients/P1/forms/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b-consent.pdf")
    }

    @Test func everyBuiltKeyParsesBackToItself() throws {
        let entity = try EntityID(validating: "E_1")
        for type in EntityType.allCases {
            for category in FileCategory.allCases {
                let key = KeyLayout.documentKey(
                    entityType: type,
                    entityID: entity,
                    category: category,
                    documentID: Self.documentID,
                    fileName: "Röntgen 1.png"
                )
                let parsed = try DocumentKey(parsing: key.rawValue)
                #expect(parsed == key)
                #expect(parsed.location == key.location)
                #expect(parsed.location == .entity(type, entity, folder: category.folder))
                #expect(parsed.fileName == "Röntgen 1.png")
            }
        }
    }

    @Test func buildsTempKeys() throws {
        let key = KeyLayout.tempKey(documentID: Self.documentID, fileName: "scan.png")
        #expect(key.rawValue == "temp/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b-scan.png")
        #expect(try DocumentKey(parsing: key.rawValue).location == .temp)
    }

    @Test func archivesOnce() throws {
        let key = KeyLayout.tempKey(documentID: Self.documentID, fileName: "scan.png")
        let archived = KeyLayout.archivedKey(for: key)
        #expect(archived.rawValue == "archived/" + key.rawValue)
        #expect(archived.location == .archived(original: key))
        #expect(try DocumentKey(parsing: archived.rawValue) == archived)
        #expect(KeyLayout.archivedKey(for: archived) == archived)
    }

    @Test(arguments: ["", "../x", "a/b.pdf", ".hidden", "a\u{0}.pdf", String(repeating: "a", count: 200), "Cafe\u{301}.pdf"])
    func staysTotalForNamesThatAreNotSanitised(fileName: String) throws {
        let key = KeyLayout.documentKey(
            entityType: .provider,
            entityID: try EntityID(validating: "D1"),
            category: .other,
            documentID: Self.documentID,
            fileName: fileName
        )
        #expect(key.fileName == KeyLayout.fallbackFileName)
        #expect(try DocumentKey(parsing: key.rawValue) == key)
    }
}
