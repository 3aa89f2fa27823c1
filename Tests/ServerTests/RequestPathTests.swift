import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Server

/// How the application reads a request's path and method before any handler: non-canonical paths are refused
/// (so that no check can read a different path than the router), cookie-authenticated state changes need the
/// CSRF token whatever path they take, JSON endpoints take only `application/json`, and a wrong method is a 405.
@Suite struct RequestPathTests {
    private static let users = "/api/v2/users"
    private static let newAdmin = #"{"email": "intruder@example.test", "role": "admin"}"#

    /// Paths the router would take for `/api/v2/users` (or that some layer might), each written another way.
    static let disguisedUserPaths = [
        "//api/v2/users", "/api//v2/users", "/api/v2//users", "/api/v2/users/", "/./api/v2/users", "/api/./v2/users",
        "/api/v2/x/../users", "/api%2Fv2/users", "/api%2fv2%2Fusers", "/api/v2/%2E/users", "/api\\v2/users",
    ]

    @Test(
        "canonical paths",
        arguments: ["/", "/healthz", "/api/v2/users", "/api/v2/aws/s3/objects/patients/P1/other/a-b.c.txt", "/a%20b", "/a%2", "/a%"]
    )
    func canonical(path: String) {
        #expect(CanonicalPathMiddleware.isCanonical(path))
    }

    @Test(
        "non-canonical paths",
        arguments: disguisedUserPaths + ["", "api/v2/users", "//", "/.", "/..", "/a/..", "/%2e%2e/etc", "/a%5cb", "/a%5C", "/a%2e"]
    )
    func nonCanonical(path: String) {
        #expect(!CanonicalPathMiddleware.isCanonical(path))
    }

    @Test("the CSRF decision follows the matched route, not the raw path")
    func csrfDecision() {
        #expect(CSRFProtection.requiresHeaderToken(.post, route: "/api/v2/users"))
        #expect(CSRFProtection.requiresHeaderToken(.delete, route: nil), "a request that matched nothing needs the token too")
        #expect(CSRFProtection.requiresHeaderToken(.put, route: "/storage"), "any state change outside the form routes")
        #expect(!CSRFProtection.requiresHeaderToken(.post, route: "/login"))
        #expect(!CSRFProtection.requiresHeaderToken(.post, route: "/logout"))
        #expect(!CSRFProtection.requiresHeaderToken(.get, route: "/api/v2/users"))
    }

    @Test func aSessionCannotCreateAnAdministratorThroughADisguisedPath() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            for path in Self.disguisedUserPaths {
                for contentType in ["text/plain", "application/json"] {
                    let response = try await browser.send(.post, path, headers: [.contentType: contentType], body: ByteBuffer(string: Self.newAdmin))
                    #expect(response.status == .badRequest, "\(path) \(contentType)")
                    #expect(errorCode(response) == "invalid_path", "\(path) \(contentType)")
                }
            }
            let plain = try await browser.send(.post, Self.users, headers: [.contentType: "text/plain"], body: ByteBuffer(string: Self.newAdmin))
            #expect(plain.status == .forbidden)
            #expect(errorCode(plain) == "csrf_failed")
            #expect(try await harness.database().user(email: "intruder@example.test") == nil)
        }
    }

    @Test func jsonEndpointsRefuseBodiesNotDeclaredJSON() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            let csrf = try await browser.sessionCSRFToken()
            let bodies: [(HTTPRequest.Method, String, String)] = [
                (.post, Self.users, Self.newAdmin),
                (.post, "/api/v2/users/disable", #"{"email": "admin@example.test"}"#),
                (.post, "/api/v2/careteams", #"{"provider": "dr@example.test", "patientId": "P1"}"#),
                (.delete, "/api/v2/careteams", #"{"provider": "dr@example.test", "patientId": "P1"}"#),
                (.delete, "/api/v2/aws/s3/delete", #"{"key": "patients/P1/other/0f8fad5b-d9cb-469f-a165-70867728950e-a.txt"}"#),
            ]
            for (method, path, body) in bodies {
                for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", nil] {
                    var headers: HTTPFields = [CSRFProtection.headerName: csrf]
                    if let contentType { headers[.contentType] = contentType }
                    let response = try await browser.send(method, path, headers: headers, body: ByteBuffer(string: body))
                    #expect(response.status == .unsupportedMediaType, "\(method) \(path) \(contentType ?? "none")")
                    #expect(errorCode(response) == "expected_json", "\(method) \(path) \(contentType ?? "none")")
                }
            }
            #expect(try await harness.database().user(email: "intruder@example.test") == nil)
            #expect(try await harness.database().user(email: AuthHarness.adminEmail)?.disabled == false)
            let created = try await browser.send(
                .post,
                Self.users,
                headers: [CSRFProtection.headerName: csrf, .contentType: "Application/JSON; charset=utf-8"],
                body: ByteBuffer(string: Self.newAdmin)
            )
            #expect(created.status == .created)
        }
    }

    @Test func aWrongMethodIsA405WithAllow() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.put, Self.users, "GET, POST"),
                (.delete, Self.users, "GET, POST"),
                (.get, "/api/v2/users/disable", "POST"),
                (.get, "/api/v2/aws/s3/upload", "POST"),
                (.post, "/api/v2/aws/s3/download", "GET"),
                (.patch, "/api/v2/careteams", "DELETE, GET, POST"),
                (.trace, "/healthz", "GET"),
                (.head, "/metrics", "GET"),
                (.options, "/api/v2/openapi.yaml", "GET"),
                (.delete, "/login", "GET, POST"),
                (.put, "/api/v2/aws/s3/objects/patients/P1/other/a.txt", "GET"),
            ]
            for (method, path, allow) in cases {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                if method != .head { #expect(errorCode(response) == "method_not_allowed", "\(method) \(path)") }
            }
            let unknown = try await client.execute(uri: "/api/v2/no-such-thing", method: .put)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.allow] == nil)
        }
    }

    @Test func everyResponseSaysNosniff() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            for path in ["/healthz", "/api/v2/aws/s3/stats", "/api/v2/no-such-thing", "/login", "/api/v2/openapi.yaml", "//healthz"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path) → \(response.status)")
            }
        }
    }
}
