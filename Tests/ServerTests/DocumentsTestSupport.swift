import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Server

/// The document API of the application in router test mode, called with bearer tokens of stored users: an
/// administrator, patients P1 and P2, so that each controller test can try what one may do and another may not.
struct DocumentsClient: Sendable {
    static let api = "/api/v2/aws/s3"
    /// A small PDF that libmagic names `application/pdf`.
    static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n".utf8)

    let client: any TestClientProtocol
    let admin: String
    let patient1: String
    let patient2: String

    /// Creates patients P1 and P2 through the users API and issues each user a token on the harness's clock.
    static func make(_ client: any TestClientProtocol, harness: AuthHarness) async throws -> DocumentsClient {
        let tokens = try await harness.bearerTokens()
        let now = harness.clock.now
        let admin = try await tokens.issue(BearerTokenTests.claims(AuthHarness.adminEmail, at: now, ttl: 3600))
        var patients: [String] = []
        for patientID in ["P1", "P2"] {
            let email = "\(patientID.lowercased())@example.test"
            var headers = HTTPFields.bearer(admin)
            headers[.contentType] = "application/json"
            let created = try await client.execute(
                uri: "/api/v2/users",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: #"{"email":"\#(email)","role":"patient","patientId":"\#(patientID)"}"#)
            )
            #expect(created.status == .created)
            patients.append(try await tokens.issue(BearerTokenTests.claims(email, role: "patient", patientID: patientID, at: now, ttl: 3600)))
        }
        return DocumentsClient(client: client, admin: admin, patient1: patients[0], patient2: patients[1])
    }

    /// `POST upload` of one file for patient `patientID`.
    func upload(_ bytes: [UInt8], name: String = "report.pdf", for patientID: String, as token: String) async throws -> TestResponse {
        let boundary = "medvault-test-boundary"
        var body = ""
        for (field, value) in [("category", "medical-records"), ("entityType", "patient"), ("entityId", patientID)] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/pdf\r\n\r\n"
        var buffer = ByteBuffer(string: body)
        buffer.writeBytes(bytes)
        buffer.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPFields.bearer(token)
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.execute(uri: Self.api + "/upload", method: .post, headers: headers, body: buffer)
    }

    /// Uploads one file and returns what the server stored.
    func uploaded(for patientID: String, as token: String) async throws -> DocumentResponse {
        let response = try await upload(Self.pdf, for: patientID, as: token)
        #expect(response.status == .created)
        struct Body: Decodable { let files: [DocumentResponse] }
        return try #require(try JSONDecoder().decode(Body.self, from: Data(Array(buffer: response.body))).files.first)
    }

    func get(_ path: String, query: String, as token: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var all = HTTPFields.bearer(token)
        all.append(contentsOf: headers)
        return try await client.execute(uri: Self.api + path + "?" + query, method: .get, headers: all)
    }

    /// `DELETE delete` of `key`, archived or (`permanent`) removed.
    func delete(_ key: String, permanent: Bool = false, as token: String) async throws -> TestResponse {
        var headers = HTTPFields.bearer(token)
        headers[.contentType] = "application/json"
        let body = #"{"key":"\#(key)","permanent":\#(permanent)}"#
        return try await client.execute(uri: Self.api + "/delete", method: .delete, headers: headers, body: ByteBuffer(string: body))
    }

    /// The keys `list` answers with for `prefix`.
    func listedKeys(prefix: String, as token: String) async throws -> [String]? {
        let response = try await get("/list", query: "prefix=\(prefix)", as: token)
        guard response.status == .ok else { return nil }
        struct Body: Decodable { let files: [DocumentResponse] }
        return try JSONDecoder().decode(Body.self, from: Data(Array(buffer: response.body))).files.map(\.key)
    }
}
