import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Server

/// Browser sessions on the real application with an injected clock (automatic logoff): the idle
/// timeout slides with every request, the maximum age does not, and an ended session sends pages to
/// `/login?expired=1` and API calls to 401 `session_expired`.
@Suite struct SessionTimeoutTests {
    private static let stats = "/api/v2/aws/s3/stats"

    @Test func anIdleSessionEndsAndTheNextPageLandsOnTheLoginPage() async throws {
        let harness = AuthHarness(["MEDVAULT_SESSION_IDLE_TIMEOUT": "600", "MEDVAULT_SESSION_MAX_AGE": "43200"])
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let pageBrowser = Browser(client)
            let apiBrowser = Browser(client)
            #expect(try await pageBrowser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            #expect(try await apiBrowser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)

            // Less than the idle timeout: still signed in; the request counts as activity.
            harness.clock.advance(by: 599)
            #expect(try await pageBrowser.send(.get, "/").status == .ok)

            // The API browser has now been idle for 601 s, the page browser for 2 s.
            harness.clock.advance(by: 2)
            let expiredCall = try await apiBrowser.send(.get, Self.stats)
            #expect(expiredCall.status == .unauthorized)
            #expect(errorCode(expiredCall) == "session_expired")
            #expect(expiredCall.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await pageBrowser.send(.get, "/").status == .ok)
            #expect(try await pageBrowser.send(.get, Self.stats).status == .ok)

            // The ended session stays ended, for pages too.
            let afterwards = try await apiBrowser.send(.get, "/")
            #expect(afterwards.status == .seeOther)
            #expect(afterwards.headers[.location] == "/login?expired=1")

            // Idle again, past the timeout: the next page is the login page, saying why.
            harness.clock.advance(by: 600)
            let home = try await pageBrowser.send(.get, "/")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login?expired=1")
            let login = try await pageBrowser.send(.get, "/login?expired=1")
            #expect(login.status == .ok)
            #expect(String(buffer: login.body).contains("period of inactivity"))
            let api = try await pageBrowser.send(.get, Self.stats)
            #expect(api.status == .unauthorized)
            #expect(errorCode(api) == "session_expired")

            // Signing in again works.
            #expect(try await pageBrowser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            #expect(try await pageBrowser.send(.get, "/").status == .ok)
        }
    }

    @Test func aSessionEndsAtItsMaximumAgeHoweverActiveItIs() async throws {
        let harness = AuthHarness(["MEDVAULT_SESSION_IDLE_TIMEOUT": "600", "MEDVAULT_SESSION_MAX_AGE": "1000"])
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let pageBrowser = Browser(client)
            let apiBrowser = Browser(client)
            #expect(try await pageBrowser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            #expect(try await apiBrowser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)

            harness.clock.advance(by: 500)
            #expect(try await pageBrowser.send(.get, "/").status == .ok)
            #expect(try await apiBrowser.send(.get, Self.stats).status == .ok)
            harness.clock.advance(by: 499)
            #expect(try await pageBrowser.send(.get, "/").status == .ok)
            #expect(try await apiBrowser.send(.get, Self.stats).status == .ok)

            // 1001 s after sign-in, though each was active a second ago.
            harness.clock.advance(by: 2)
            let home = try await pageBrowser.send(.get, "/")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login?expired=1")
            let api = try await apiBrowser.send(.get, Self.stats)
            #expect(api.status == .unauthorized)
            #expect(errorCode(api) == "session_expired")
        }
    }

    @Test func withoutASessionPagesGoToTheLoginPageAndTheAPIAsksForCredentials() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            let home = try await browser.send(.get, "/")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login")
            let api = try await browser.send(.get, Self.stats)
            #expect(api.status == .unauthorized)
            #expect(errorCode(api) == "unauthenticated")
            #expect(api.headers[.wwwAuthenticate] == "Bearer")
            // An unknown session cookie counts as an ended session.
            browser.setCookie(SessionCookie.sessionName, "made-up")
            let forged = try await browser.send(.get, Self.stats)
            #expect(errorCode(forged) == "session_expired")
        }
    }
}

/// CSRF protection of session-cookie requests that change state.
@Suite struct SessionCSRFTests {
    private static let delete = "/api/v2/aws/s3/delete"

    private static func deleteBody() -> ByteBuffer {
        ByteBuffer(string: #"{"key": "patients/P1/forms/\#(UUID().uuidString.lowercased())-a.pdf"}"#)
    }

    @Test func aSessionDeleteWithoutTheCSRFTokenIsRefusedAndAudited() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        let adminID = try await harness.withApp { client async throws in
            let browser = Browser(client)
            #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            let csrf = try await browser.sessionCSRFToken()
            let json: HTTPFields = [.contentType: "application/json"]

            let missing = try await browser.send(.delete, Self.delete, headers: json, body: Self.deleteBody())
            #expect(missing.status == .forbidden)
            #expect(errorCode(missing) == "csrf_failed")

            var wrong = json
            wrong[CSRFProtection.headerName] = String(csrf.reversed())
            let mismatched = try await browser.send(.delete, Self.delete, headers: wrong, body: Self.deleteBody())
            #expect(mismatched.status == .forbidden)
            #expect(errorCode(mismatched) == "csrf_failed")

            // With the session's token the request passes CSRF and reaches the document lookup.
            var right = json
            right[CSRFProtection.headerName] = csrf
            let passed = try await browser.send(.delete, Self.delete, headers: right, body: Self.deleteBody())
            #expect(passed.status == .notFound)
            #expect(errorCode(passed) == "not_found")

            // Reads need no token.
            #expect(try await browser.send(.get, "/api/v2/aws/s3/stats").status == .ok)
            return try #require(try await harness.database().user(email: AuthHarness.adminEmail)).id.uuidString.lowercased()
        }
        let refusals = try await harness.auditRows(AuditQuery(outcome: .denied)).filter { $0.entry.errorCode == "csrf_failed" }
        #expect(refusals.count == 2)
        for refusal in refusals {
            #expect(refusal.entry.actorID == adminID)
            #expect(refusal.entry.actorRole == "admin")
            #expect(refusal.entry.httpStatus == 403)
            #expect(refusal.entry.action == .documentArchive)
        }
    }

    @Test func bearerCallsNeedNoCSRFToken() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let admin = try #require(try await harness.database().user(email: AuthHarness.adminEmail))
            let now = harness.clock.now
            let token = try await harness.bearerTokens().issue(
                TokenClaims(subject: admin.id.uuidString, role: "admin", patientID: nil, issuedAt: now, expiresAt: now + 300)
            )
            var headers = HTTPFields.bearer(token)
            headers[.contentType] = "application/json"
            let response = try await client.execute(uri: Self.delete, method: .delete, headers: headers, body: Self.deleteBody())
            #expect(response.status == .notFound)
            #expect(errorCode(response) == "not_found")
        }
    }

    @Test func signOutNeedsTheSessionTokenAndEndsTheSession() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            let csrf = try await browser.sessionCSRFToken()
            let session = try #require(browser.cookie(SessionCookie.sessionName))
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

            let forged = try await browser.send(.post, "/logout", headers: form, body: ByteBuffer(string: "csrf_token=forged"))
            #expect(forged.status == .forbidden)
            #expect(try await browser.send(.get, "/").status == .ok, "a refused sign-out leaves the session alone")

            let signedOut = try await browser.send(
                .post,
                "/logout",
                headers: form,
                body: ByteBuffer(string: FormEncoding.encode([("csrf_token", csrf)]))
            )
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers[.location] == "/login?signedOut=1")
            #expect(SetCookie.line(SessionCookie.sessionName, in: signedOut)?.contains("Max-Age=0") == true)
            #expect(browser.cookie(SessionCookie.sessionName) == nil)

            // The old cookie no longer opens anything.
            browser.setCookie(SessionCookie.sessionName, session)
            let replay = try await browser.send(.get, "/api/v2/aws/s3/stats")
            #expect(replay.status == .unauthorized)
            #expect(errorCode(replay) == "session_expired")
        }
        #expect(try await harness.auditRows(AuditQuery(action: .authSignOut)).count == 1)
    }
}
