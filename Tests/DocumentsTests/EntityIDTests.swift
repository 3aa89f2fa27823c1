import Documents
import Foundation
import Testing

@Suite struct EntityIDTests {
    @Test(arguments: ["P1", "a", "patient_42-B", "3f2a9c1e-0000-4000-8000-000000000001", String(repeating: "x", count: 64)])
    func acceptsValidIDs(raw: String) throws {
        #expect(try EntityID(validating: raw).rawValue == raw)
    }

    @Test(arguments: [
        "", String(repeating: "x", count: 65), "a/b", "..", ".", "a.b", "P 1", "P1\n", "%2e%2e", "ü", "P\u{301}",
        "．．", "／", "P１", "a\\b", "a:b", "P1\u{0}",
    ])
    func rejectsInvalidIDs(raw: String) throws {
        let error = try #require(throws: KeyLayoutError.self) { try EntityID(validating: raw) }
        #expect(error.code == "invalid_entity_id")
        #expect(error.message == "entity id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'")
    }

    @Test func redactsItsDescription() throws {
        let id = try EntityID(validating: "JaneDoe1970")
        #expect(!"\(id)".contains("Jane"))
    }

    @Test func decodesOnlyValidIDs() throws {
        let decoded = try JSONDecoder().decode([EntityID].self, from: Data(#"["P1"]"#.utf8))
        #expect(decoded.map(\.rawValue) == ["P1"])
        #expect(throws: (any Error).self) { try JSONDecoder().decode([EntityID].self, from: Data(#"["../x"]"#.utf8)) }
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #"["P1"]"#)
    }
}
