import Audit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Persistence
import Testing

@testable import Server

/// The handlers' one way to the audit trail, on a real SQLite database: a read leaves one success row, a committed
/// change exactly its own row whatever follows, a second commit nothing more, and an admitted refusal one row that
/// carries what the decision knew.
@Suite struct AuditRecorderTests {
    /// Answers `GET /call` with `body` run inside ``AuditTrail/perform(_:request:context:_:)`` and returns the status
    /// and every audit row written.
    private func call(
        _ body: @escaping @Sendable (AuditRecorder, any AuditLog) async throws -> Void
    ) async throws -> (status: HTTPResponse.Status, rows: [AuditEntry]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-recorder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try ServerTestDatabase.open(in: directory)
        let audit = AuditTrail(database: database)
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: APIErrorMiddleware())
        router.get("call") { request, context -> String in
            try await audit.perform(.userDisable, request: request, context: context) { recorder in
                try await body(recorder, database)
            }
            return "done"
        }
        let app = Application(router: router, logger: Logger(label: "audit-recorder-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let status = try await app.test(.router) { client in try await client.execute(uri: "/call", method: .get).status }
        let rows = try await database.auditEvents(matching: AuditQuery(limit: AuditQuery.maximumLimit)).records.map(\.entry)
        return (status, rows)
    }

    @Test func aCallThatCommitsNothingLeavesOneSuccessRow() async throws {
        let result = try await call { recorder, _ in recorder.detail = "read" }
        #expect(result.status == .ok)
        #expect(result.rows.map(\.outcome) == [.success])
        #expect(result.rows.first?.detail == "read")
    }

    @Test func aCommittedChangeKeepsItsOneRowWhenTheHandlerFailsAfterIt() async throws {
        let result = try await call { recorder, database in
            recorder.httpStatus = 201
            try await recorder.commit { entry in try await database.appendAudit(entry) }
            throw APIError.unexpected
        }
        #expect(result.status == .internalServerError)
        #expect(result.rows.map(\.outcome) == [.success])
        #expect(result.rows.first?.httpStatus == 201)
    }

    @Test func aSecondCommitIsRefusedAndWritesNothing() async throws {
        let result = try await call { recorder, database in
            try await recorder.commit { entry in try await database.appendAudit(entry) }
            try await recorder.commit { entry in try await database.appendAudit(entry) }
        }
        #expect(result.status == .internalServerError)
        #expect(result.rows.map(\.outcome) == [.success])
    }

    @Test func anAdmittedConcealedRefusalIsOneDeniedRowWithTheDecisionsFacts() async throws {
        let result = try await call { recorder, _ in
            let decision = DocumentDecision(
                verdict: .refused(.documentNotFound, outcome: .denied),
                documentID: "0f8fad5b-d9cb-469f-a165-70867728950e",
                patientID: "P1"
            )
            _ = try recorder.admit(decision)
        }
        #expect(result.status == .notFound)
        #expect(result.rows.map(\.outcome) == [.denied])
        #expect(result.rows.first?.patientID == "P1")
        #expect(result.rows.first?.documentID == "0f8fad5b-d9cb-469f-a165-70867728950e")
        #expect(result.rows.first?.httpStatus == 404)
    }

    @Test func anAllowedDecisionWithoutADocumentIsNotFound() async throws {
        let result = try await call { recorder, _ in
            _ = try recorder.admit(DocumentDecision(verdict: .allowed, documentKey: "patients/P1/other/x.pdf", breakGlassReason: "emergency"))
        }
        #expect(result.status == .notFound)
        #expect(result.rows.map(\.outcome) == [.rejected])
        #expect(result.rows.first?.breakGlass == true)
        #expect(result.rows.first?.reason == "emergency")
    }
}
