import Foundation
import Testing

@testable import Persistence

@Suite("Document ids read from their stored text")
struct UUIDDatabaseTextTests {
    @Test("every stored form parses to the same UUID as Foundation's parser")
    func roundTrip() {
        for _ in 0..<500 {
            let uuid = UUID()
            #expect(UUID(databaseText: uuid.uuidString.lowercased()) == uuid)
            #expect(UUID(databaseText: uuid.uuidString) == uuid)
        }
        #expect(UUID(databaseText: "00000000-0000-0000-0000-000000000000") == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(UUID(databaseText: "ffffffff-ffff-ffff-ffff-ffffffffffff") == UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"))
    }

    @Test("anything else is refused")
    func malformed() {
        for text in [
            "", "0f8fad5b-d9cb-469f-a165-70867728950", "0f8fad5b-d9cb-469f-a165-70867728950e0", "0f8fad5bd9cb-469f-a165-70867728950e-",
            "0f8fad5b-d9cb-469f-a165_70867728950e", "0f8fad5g-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a16-570867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}", "0f8fad5b-d9cb-469f-a165-70867728950é",
        ] {
            #expect(UUID(databaseText: text) == nil, "\(text)")
        }
    }
}
