import Foundation
import Testing

@testable import Documents

@Suite struct DocumentKeyTests {
    static let uuid = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"

    @Test func parsesAnEntityKey() throws {
        let key = try DocumentKey(parsing: "patients/P-42/forms/\(Self.uuid)-consent form.pdf")
        #expect(key.location == .entity(.patient, try EntityID(validating: "P-42"), folder: "forms"))
        #expect(key.documentID == UUID(uuidString: Self.uuid))
        #expect(key.fileName == "consent form.pdf")
        #expect(key.objectName == "\(Self.uuid)-consent form.pdf")
    }

    @Test(arguments: EntityType.allCases)
    func parsesEveryRootAndFolder(type: EntityType) throws {
        for folder in FileCategory.allFolders {
            let key = try DocumentKey(parsing: "\(type.rootFolder)/E1/\(folder)/\(Self.uuid)-x.png")
            #expect(key.location == .entity(type, try EntityID(validating: "E1"), folder: folder))
        }
    }

    @Test func parsesATempKey() throws {
        let key = try DocumentKey(parsing: "temp/\(Self.uuid)-upload.bin")
        #expect(key.location == .temp)
        #expect(key.fileName == "upload.bin")
    }

    @Test func parsesArchivedKeys() throws {
        let original = "providers/DR_7/billing/\(Self.uuid)-invoice.pdf"
        let key = try DocumentKey(parsing: "archived/\(original)")
        #expect(key.location == .archived(original: try DocumentKey(parsing: original)))
        #expect(key.documentID == UUID(uuidString: Self.uuid))
        let archivedTemp = try DocumentKey(parsing: "archived/temp/\(Self.uuid)-x.txt")
        #expect(archivedTemp.location == .archived(original: try DocumentKey(parsing: "temp/\(Self.uuid)-x.txt")))
    }

    @Test func acceptsUnicodeNamesInNFC() throws {
        let key = try DocumentKey(parsing: "patients/P1/imaging/\(Self.uuid)-Röntgen Thorax 中文.png")
        #expect(key.fileName == "Röntgen Thorax 中文.png")
    }

    @Test func comparesByBytes() throws {
        let first = try DocumentKey(parsing: "temp/\(Self.uuid)-a.txt")
        let second = try DocumentKey(parsing: "temp/\(Self.uuid)-a.txt")
        let other = try DocumentKey(parsing: "temp/\(Self.uuid)-b.txt")
        #expect(first == second)
        #expect(Set([first, second, other]).count == 2)
    }

    @Test func roundTripsThroughJSON() throws {
        let key = try DocumentKey(parsing: "patients/P1/forms/\(Self.uuid)-a.pdf")
        let data = try JSONEncoder().encode([key])
        #expect(try JSONDecoder().decode([DocumentKey].self, from: data) == [key])
        #expect(throws: (any Error).self) { try JSONDecoder().decode([DocumentKey].self, from: Data(#"["patients/../x"]"#.utf8)) }
    }

    @Test func redactsItsDescription() throws {
        let key = try DocumentKey(parsing: "archived/patients/JaneDoe/forms/\(Self.uuid)-HIV test.pdf")
        #expect("\(key)" == "archived/patients/…/forms/\(Self.uuid)-…")
    }
}
