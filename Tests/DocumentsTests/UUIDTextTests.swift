import Documents
import Foundation
import Testing

@Suite("UUIDs in medvault's text form")
struct UUIDTextTests {
    @Test("the text is Foundation's uuidString in lowercase")
    func lowercaseText() {
        for _ in 0..<500 {
            let uuid = UUID()
            #expect(uuid.lowercaseText == uuid.uuidString.lowercased())
        }
        #expect(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).lowercaseText == "00000000-0000-0000-0000-000000000000")
        #expect(UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")?.lowercaseText == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test("both cases parse to the same UUID as Foundation's parser")
    func roundTrip() {
        for _ in 0..<500 {
            let uuid = UUID()
            #expect(UUID(parsing: uuid.lowercaseText) == uuid)
            #expect(UUID(parsing: uuid.uuidString) == uuid)
        }
        #expect(UUID(parsing: "00000000-0000-0000-0000-000000000000") == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(UUID(parsing: "ffffffff-ffff-ffff-ffff-ffffffffffff") == UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"))
    }

    @Test("anything else is refused, as Foundation refuses it")
    func malformed() {
        for text in [
            "", "0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5b-d9cb-469f-a165-70867728950e0", "0f8fad5bd9cb-469f-a165-70867728950e-",
            "0f8fad5b-d9cb-469f-a165_70867728950e", "0f8fad5g-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a16-570867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}", "0f8fad5b-d9cb-469f-a165-70867728950é", " 0f8fad5b-d9cb-469f-a165-70867728950e",
        ] {
            #expect(UUID(parsing: text) == nil, "\(text)")
            #expect(UUID(uuidString: text) == nil, "\(text)")
        }
    }
}
