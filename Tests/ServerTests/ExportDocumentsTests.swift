import Archive
import Documents
import Foundation
import Persistence
import Testing

@testable import Server

/// The parts of an export that the e2e archive cannot reach: a stored name that breaks the object name rule, a file
/// too large for FHIR R4's `unsignedInt`, and entities that R4 does not allow as a DocumentReference's subject.
@Suite struct ExportDocumentsTests {
    private static let id = UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E")!

    private static func record(fileName: String, size: Int64 = 5, entityType: EntityType = .patient) -> DocumentRecord {
        DocumentRecord(
            id: id,
            key: "\(entityType.rootFolder)/E1/other/\(id.lowercaseText)-file.txt",
            fileName: fileName,
            size: size,
            contentType: "text/plain",
            category: .other,
            entityType: entityType,
            entityID: "E1",
            sha256: String(repeating: "ab", count: 32),
            etag: "\"etag\"",
            uploadedAt: Date(timeIntervalSince1970: 1_750_000_000)
        )
    }

    private static func export(_ records: [DocumentRecord], _ type: EntityType = .patient, missing: [DocumentRecord] = []) throws -> EntityExport {
        EntityExport(
            entityType: type,
            entityID: try EntityID(validating: "E1"),
            includesArchived: false,
            documents: records,
            missingDocuments: missing,
            exportedAt: Date(timeIntervalSince1970: 1_760_000_000),
            thresholds: .standard
        )
    }

    @Test("a stored name is kept when it follows the object name rule, and replaced by the id when it does not")
    func paths() {
        #expect(EntityExport.path(of: Self.record(fileName: "Befund ärztlich.pdf")) == "documents/other/\(Self.id.lowercaseText)-Befund ärztlich.pdf")
        for unsafe in ["../../etc/passwd", "a\\b.txt", ".hidden", "line\nbreak.txt"] {
            #expect(EntityExport.path(of: Self.record(fileName: unsafe)) == "documents/other/\(Self.id.lowercaseText)")
        }
        var archived = Self.record(fileName: "old.txt")
        archived.status = .archived
        #expect(EntityExport.path(of: archived) == "archived/other/\(Self.id.lowercaseText)-old.txt")
    }

    @Test("an attachment over R4's unsignedInt has no size; appointments and prescriptions have no subject")
    func bundleLimits() throws {
        let large = Self.record(fileName: "scan.dcm", size: 3_000_000_000, entityType: .appointment)
        let documents = [ExportedDocument(record: large, path: EntityExport.path(of: large), sha1Base64: "AAAA", variants: [])]
        let bundle = FHIRDocumentBundle(try Self.export([large], .appointment), documents: documents)
        let reference = try #require(bundle.entry.first?.resource)
        #expect(reference.content[0].attachment.size == nil)
        #expect(reference.subject == nil)
        #expect(reference.status == "current")
        let small = Self.record(fileName: "a.txt", entityType: .provider)
        let providerBundle = FHIRDocumentBundle(
            try Self.export([small], .provider),
            documents: [ExportedDocument(record: small, path: "p", sha1Base64: "AAAA", variants: [])]
        )
        #expect(providerBundle.entry[0].resource.subject?.type == "Practitioner")
        #expect(providerBundle.entry[0].resource.content[0].attachment.size == 5)
    }

    @Test("the audit detail carries the count and the archive choice, never a name")
    func auditDetail() throws {
        #expect(try Self.export([Self.record(fileName: "secret.txt")]).auditDetail == "documents=1")
        #expect(try Self.export([], missing: [Self.record(fileName: "lost.txt")]).auditDetail == "documents=0 missing=1")
    }
}
