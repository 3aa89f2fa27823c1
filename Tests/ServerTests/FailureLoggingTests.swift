import Audit
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ObjectStorage
@testable import Persistence
@testable import Server

/// A request that fails on the server's side (a 5xx) leaves its cause in the log at `.error`, next to its request
/// id: the errors' types and messages, with nothing that could name a document (no key, no file name).
@Suite struct FailureLoggingTests {
    /// A key and a file name such as a failing operation could quote; none of their parts may reach the log.
    static let key = "patients/P-7734/lab-results/0f8fad5b-d9cb-469f-a165-70867728950e-hiv-result.pdf"
    static let secrets = ["P-7734", "hiv-result", "patients/", "0f8fad5b-d9cb", ".pdf"]

    /// An error of a library we do not control whose text quotes what it worked on.
    struct QuotingError: Error, CustomStringConvertible {
        var description: String { "could not open \(FailureLoggingTests.key) ('hiv-result.pdf'): Input/output error" }
    }

    /// Runs `failure` as a route behind ``APIErrorMiddleware`` and returns the answer and what was logged.
    private func answer(
        throwing failure: @escaping @Sendable (Request, AppRequestContext) async throws -> Void
    ) async throws -> (status: HTTPResponse.Status, code: String, requestID: String, logs: [CapturingLogHandler.Entry]) {
        let logs = CapturingLogHandler.Box()
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: APIErrorMiddleware())
        router.get("fail") { request, context -> String in
            try await failure(request, context)
            return "unreachable"
        }
        let app = Application(router: router, logger: logs.logger("failure-logging-test"))
        let (status, body, requestID) = try await app.test(.router) { client in
            try await client.execute(uri: "/fail", method: .get) { response in
                (response.status, String(buffer: response.body), response.headers[.xRequestID] ?? "")
            }
        }
        let code = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(body.utf8)).error.code
        return (status, code, requestID, logs.all.filter { $0.level >= .error })
    }

    private struct ErrorEnvelope: Decodable {
        struct Detail: Decodable { let code: String }
        let error: Detail
    }

    private func expectNothingNamesTheDocument(_ entries: [CapturingLogHandler.Entry]) {
        for entry in entries {
            for secret in Self.secrets {
                #expect(!entry.text.contains(secret), "the log names the document: \(entry.text)")
            }
        }
    }

    @Test func aFullDiskIsLoggedWithItsSystemCallAndErrno() async throws {
        let result = try await answer { _, _ in throw StorageError.systemCall("pwrite", errno: ENOSPC) }
        #expect(result.status.code == 507)
        let entry = try #require(result.logs.first)
        #expect(result.logs.count == 1)
        #expect(entry.level == .error)
        #expect(entry.metadata["hb.request.id"] == result.requestID)
        #expect(entry.metadata["error.code"] == result.code)
        #expect(entry.metadata["http.status"] == "507")
        #expect(entry.metadata["error.type"] == "StorageError > SystemCallError")
        let message = try #require(entry.metadata["error.message"])
        #expect(message.contains("pwrite failed with errno \(ENOSPC)"), "\(message)")
    }

    @Test func aFoundationErrorNamingTheFileIsLoggedWithoutThePath() async throws {
        let cause = CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: "/srv/medvault/data/objects/\(Self.key)"])
        let result = try await answer { _, _ in throw StorageError.failure(underlying: cause) }
        #expect(result.status == .internalServerError)
        let entry = try #require(result.logs.first)
        #expect(entry.metadata["error.type"] == "StorageError > CocoaError")
        #expect(entry.metadata["error.message"]?.contains("Code=640") == true, "\(entry.text)")
        expectNothingNamesTheDocument(result.logs)
    }

    @Test func aSQLiteFailureBehindTheAuditTrailIsLogged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("failure-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try ServerTestDatabase.open(in: directory)
        // A real SQLite refusal, as on a volume remounted read-only: every write now fails.
        try await database.databasePool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = ON") }
        let audit = AuditTrail(database: database)
        let result = try await answer { request, context in
            try await audit.perform(.documentList, request: request, context: context) { recorder in
                recorder.documentKey = Self.key
            }
        }
        #expect(result.status == .serviceUnavailable)
        #expect(result.code == "audit_unavailable")
        let entry = try #require(result.logs.first)
        #expect(entry.metadata["hb.request.id"] == result.requestID)
        #expect(entry.metadata["error.type"] == "APIError > PersistenceError")
        #expect(entry.metadata["error.message"]?.contains("readonly database") == true, "\(entry.text)")
        expectNothingNamesTheDocument(result.logs)
    }

    @Test func anUnexpectedErrorIsLoggedScrubbed() async throws {
        let result = try await answer { _, _ in throw QuotingError() }
        #expect(result.status == .internalServerError)
        #expect(result.code == "internal_error")
        let entry = try #require(result.logs.first)
        #expect(entry.metadata["error.type"] == "QuotingError")
        #expect(entry.metadata["error.message"]?.contains("Input/output error") == false)
        #expect(entry.metadata["error.message"]?.hasPrefix("could not open") == true, "\(entry.text)")
        expectNothingNamesTheDocument(result.logs)
    }

    @Test func aRefusalIsNotLoggedAsAFailure() async throws {
        let result = try await answer { _, _ in throw APIError.documentNotFound }
        #expect(result.status == .notFound)
        #expect(result.logs.isEmpty)
    }
}
