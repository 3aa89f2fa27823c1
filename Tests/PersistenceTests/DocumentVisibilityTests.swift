import Documents
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Documents: listings restricted to what the caller may see")
struct DocumentVisibilityTests {
    /// A document of `entityType`/`entityID` uploaded by `uploadedBy`, under `key`.
    private func document(_ key: String, _ entityType: EntityType, _ entityID: String, by uploadedBy: String = "u0") -> DocumentRecord {
        var record = Fixtures.document(key: key)
        record.entityType = entityType
        record.entityID = entityID
        record.uploadedBy = uploadedBy
        return record
    }

    /// Documents of three patients, two providers, and appointments and prescriptions by two uploaders; one key
    /// lies about its owner (`patients/p1/...` stored for p2), and one provider's id equals a patient's.
    private var documents: [DocumentRecord] {
        [
            document("patients/p1/a", .patient, "p1"), document("patients/p1/b", .patient, "p1"),
            document("patients/p1/c", .patient, "p1"), document("patients/p1/forged", .patient, "p2"),
            document("patients/p2/a", .patient, "p2"), document("patients/p3/a", .patient, "p3"),
            document("providers/dr1/a", .provider, "dr1"), document("providers/p1/a", .provider, "p1"),
            document("appointments/x/a", .appointment, "x", by: "u1"), document("appointments/y/a", .appointment, "y", by: "u2"),
            document("prescriptions/z/a", .prescription, "z", by: "u1"), document("patients/p3/by-u1", .patient, "p3", by: "u1"),
        ]
    }

    /// Every key of `visibility`'s listing, paging two at a time.
    private func visibleKeys(_ database: any AppDatabase, _ visibility: DocumentVisibility?, prefix: String = "") async throws -> [String] {
        var query = DocumentQuery(prefix: prefix, limit: 2, visibility: visibility)
        var keys: [String] = []
        repeat {
            let page = try await database.listDocuments(query)
            #expect(page.documents.count <= 2)
            keys += page.documents.map(\.key)
            query.afterKey = page.nextAfterKey
        } while query.afterKey != nil && keys.count < 100
        return keys
    }

    @Test("each caller sees exactly the rows their visibility allows, by stored entity, across pages", arguments: TestEngine.all)
    func restrictedListings(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await database.insertDocuments(documents, audit: [])
            let cases: [(DocumentVisibility?, [String])] = [
                (DocumentVisibility(patientIDs: ["p1"]), ["patients/p1/a", "patients/p1/b", "patients/p1/c"]),
                (
                    DocumentVisibility(patientIDs: ["p3", "p1"], providerIDs: ["dr1"]),
                    ["patients/p1/a", "patients/p1/b", "patients/p1/c", "patients/p3/a", "patients/p3/by-u1", "providers/dr1/a"]
                ),
                (DocumentVisibility(providerIDs: ["p1"]), ["providers/p1/a"]),
                (DocumentVisibility(uploadedBy: "u1"), ["appointments/x/a", "prescriptions/z/a"]),
                (DocumentVisibility(patientIDs: ["p2"], uploadedBy: "u2"), ["appointments/y/a", "patients/p1/forged", "patients/p2/a"]),
                (DocumentVisibility(patientIDs: ["nobody"]), []),
                (DocumentVisibility(), []),
                (nil, documents.map(\.key).sorted()),
            ]
            for (visibility, expected) in cases {
                #expect(try await visibleKeys(database, visibility) == expected, "\(String(describing: visibility))")
            }
        }
    }

    @Test("visibility combines with prefix, category, search and archived filters", arguments: TestEngine.all)
    func combinesWithFilters(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await database.insertDocuments(documents, audit: [])
            let p2 = DocumentVisibility(patientIDs: ["p2"])
            #expect(try await visibleKeys(database, p2, prefix: "patients/p1/") == ["patients/p1/forged"])
            #expect(try await database.listDocuments(DocumentQuery(search: "report", visibility: p2)).documents.count == 2)
            #expect(try await database.listDocuments(DocumentQuery(category: .imaging, visibility: p2)).documents.isEmpty)
            let forged = try #require(try await database.document(key: "patients/p1/forged"))
            _ = try await database.archiveDocument(id: forged.id, archivedKey: "archived/patients/p1/forged", at: Date(), audit: Fixtures.audit())
            #expect(
                try await database.listDocuments(DocumentQuery(archived: true, visibility: p2)).documents.map(\.key) == [
                    "archived/patients/p1/forged"
                ]
            )
            let p1Archived = DocumentQuery(archived: true, visibility: DocumentVisibility(patientIDs: ["p1"]))
            #expect(try await database.listDocuments(p1Archived).documents.isEmpty)
        }
    }

    @Test("the visibility condition binds every id as a parameter")
    func parameterised() {
        let hostile = "p1') OR 1=1 --"
        let condition = SQLiteDatabase.visibilityCondition(
            DocumentVisibility(patientIDs: [hostile, "p2"], providerIDs: ["dr1"], uploadedBy: hostile)
        )
        #expect(!condition.sql.contains(hostile))
        #expect(
            condition.sql
                == "(entity_type = ? AND entity_id IN (?,?)) OR (entity_type = ? AND entity_id IN (?)) OR (entity_type IN (?, ?) AND uploaded_by = ?)"
        )
        #expect(condition.arguments == ["patient", hostile, "p2", "provider", "dr1", "appointment", "prescription", hostile])
        #expect(SQLiteDatabase.visibilityCondition(DocumentVisibility()).sql == "0")
    }
}
