import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Server

/// Upload, download, list and delete on the real application in router test mode (a real SQLite database, the
/// local store, libmagic): what each caller may do, what another is refused, and the one audit row each call leaves.
@Suite struct DocumentsControllerTests {
    /// Runs `body` against a fresh application with patients P1 and P2.
    private static func withDocuments(_ body: @Sendable (DocumentsClient, AuthHarness) async throws -> Void) async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            try await body(try await DocumentsClient.make(client, harness: harness), harness)
        }
    }

    @Test func aPatientUploadsForThemselvesAndNotForAnotherPatient() async throws {
        try await Self.withDocuments { documents, harness in
            let stored = try await documents.uploaded(for: "P1", as: documents.patient1)
            #expect(stored.entityId == "P1")
            #expect(stored.contentType == "application/pdf")
            let rows = try await harness.auditRows(AuditQuery(documentKey: stored.key, action: .documentUpload))
            #expect(rows.map(\.entry.outcome) == [.success])
            #expect(rows.first?.entry.httpStatus == 201)
            #expect(rows.first?.entry.patientID == "P1")

            let refused = try await documents.upload(DocumentsClient.pdf, for: "P2", as: documents.patient1)
            #expect(refused.status == .forbidden)
            #expect(errorCode(refused) == "forbidden")
            #expect(try await documents.listedKeys(prefix: "patients/P2/", as: documents.admin) == [])
            let denied = try await harness.auditRows(AuditQuery(action: .documentUpload, outcome: .denied))
            #expect(denied.count == 1)
        }
    }

    @Test func anUploadOfAnUnknownTypeIsRejectedAndNothingIsStored() async throws {
        try await Self.withDocuments { documents, harness in
            let rejected = try await documents.upload(Array("#!/bin/sh\necho hi\n".utf8), name: "run.pdf", for: "P1", as: documents.patient1)
            #expect(rejected.status.code / 100 == 4)
            #expect(try await documents.listedKeys(prefix: "patients/P1/", as: documents.admin) == [])
            let rows = try await harness.auditRows(AuditQuery(action: .documentUpload))
            #expect(rows.map(\.entry.outcome) == [.rejected])
        }
    }

    @Test func theOwnerDownloadsWholeAndInRangesAndAnotherPatientIsRefused() async throws {
        try await Self.withDocuments { documents, harness in
            let stored = try await documents.uploaded(for: "P1", as: documents.patient1)
            let whole = try await documents.get("/download", query: "key=\(stored.key)", as: documents.patient1)
            #expect(whole.status == .ok)
            #expect(Array(buffer: whole.body) == DocumentsClient.pdf)
            #expect(whole.headers[.contentType] == "application/pdf")

            let part = try await documents.get("/download", query: "id=\(stored.id)", as: documents.patient1, headers: [.range: "bytes=0-3"])
            #expect(part.status == .partialContent)
            #expect(String(buffer: part.body) == "%PDF")
            let reads = try await harness.auditRows(AuditQuery(documentKey: stored.key, action: .documentDownload, outcome: .success))
            #expect(reads.compactMap(\.entry.httpStatus).sorted() == [200, 206])

            // By key the refusal is 403; by id the document is concealed (404) and still audited as denied.
            let byKey = try await documents.get("/download", query: "key=\(stored.key)", as: documents.patient2)
            #expect(byKey.status == .forbidden)
            let byID = try await documents.get("/download", query: "id=\(stored.id)", as: documents.patient2)
            #expect(byID.status == .notFound)
            #expect(errorCode(byID) == "not_found")
            let denied = try await harness.auditRows(AuditQuery(documentKey: stored.key, action: .documentDownload, outcome: .denied))
            #expect(denied.compactMap(\.entry.httpStatus).sorted() == [403, 404])
            #expect(denied.allSatisfy { $0.entry.patientID == "P1" })

            let missing = try await documents.get("/download", query: "id=\(UUID().uuidString)", as: documents.admin)
            #expect(missing.status == .notFound)
        }
    }

    @Test func aPatientListsTheirOwnDocumentsAndNotAnotherPatients() async throws {
        try await Self.withDocuments { documents, harness in
            let mine = try await documents.uploaded(for: "P1", as: documents.patient1)
            let theirs = try await documents.uploaded(for: "P2", as: documents.patient2)
            #expect(try await documents.listedKeys(prefix: "patients/P1/", as: documents.patient1) == [mine.key])
            #expect(try await documents.listedKeys(prefix: "", as: documents.admin)?.sorted() == [mine.key, theirs.key].sorted())

            let refused = try await documents.get("/list", query: "prefix=patients/P2/", as: documents.patient1)
            #expect(refused.status == .forbidden)
            let rows = try await harness.auditRows(AuditQuery(patientID: "P2", action: .documentList, outcome: .denied))
            #expect(rows.count == 1)
        }
    }

    @Test func deleteArchivesForTheOwnerRefusesAnotherPatientAndRemovesForAnAdministrator() async throws {
        try await Self.withDocuments { documents, harness in
            let stored = try await documents.uploaded(for: "P1", as: documents.patient1)
            let refused = try await documents.delete(stored.key, as: documents.patient2)
            #expect(refused.status == .forbidden)
            #expect(try await documents.listedKeys(prefix: "patients/P1/", as: documents.admin) == [stored.key])

            let archived = try await documents.delete(stored.key, as: documents.patient1)
            #expect(archived.status == .ok)
            #expect(try await documents.listedKeys(prefix: "patients/P1/", as: documents.admin) == [])
            let archiveRows = try await harness.auditRows(AuditQuery(action: .documentArchive, outcome: .success))
            #expect(archiveRows.count == 1)
            #expect(archiveRows.first?.entry.documentID == stored.id)

            let again = try await documents.delete(stored.key, as: documents.patient1)
            #expect(again.status.code / 100 == 4)

            let other = try await documents.uploaded(for: "P1", as: documents.patient1)
            let patientRemoval = try await documents.delete(other.key, permanent: true, as: documents.patient1)
            #expect(patientRemoval.status == .forbidden)
            let removed = try await documents.delete(other.key, permanent: true, as: documents.admin)
            #expect(removed.status == .ok)
            #expect(try await documents.get("/download", query: "key=\(other.key)", as: documents.admin).status == .notFound)
            let deleteRows = try await harness.auditRows(AuditQuery(documentKey: other.key, action: .documentDelete))
            #expect(deleteRows.map(\.entry.outcome).sorted { $0.rawValue < $1.rawValue } == [.denied, .success])
        }
    }
}
