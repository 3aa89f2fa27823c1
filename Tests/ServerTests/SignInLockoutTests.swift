import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Server

/// Password sign-in through `POST /login` on the real application: the login CSRF double submit,
/// generic failures, the lockout after five failures in a row and its end on the injected clock, and the
/// audit rows all of it leaves.
@Suite struct SignInLockoutTests {
    @Test func fiveWrongPasswordsLockTheAccountUntilTheLockoutDurationHasPassed() async throws {
        let harness = AuthHarness(["MEDVAULT_LOCKOUT_DURATION": "600"])
        defer { harness.removeDirectory() }
        let adminID = try await harness.withApp { client async throws in
            let browser = Browser(client)
            for attempt in 1...AuthSettings.lockoutThreshold {
                let failed = try await browser.signIn(email: AuthHarness.adminEmail, password: "wrong password \(attempt)")
                #expect(failed.status == .unauthorized)
                #expect(String(buffer: failed.body).contains("Sign-in failed"))
                #expect(SetCookie.line(SessionCookie.sessionName, in: failed) == nil)
            }

            // Locked: even the right password fails, with the same generic answer.
            let locked = try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword)
            #expect(locked.status == .unauthorized)
            #expect(String(buffer: locked.body).contains("Sign-in failed"))
            #expect(browser.cookie(SessionCookie.sessionName) == nil)

            harness.clock.advance(by: 599)
            let stillLocked = try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword)
            #expect(stillLocked.status == .unauthorized)

            harness.clock.advance(by: 2)
            let opened = try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword)
            #expect(opened.status == .seeOther)
            #expect(opened.headers[.location] == "/")
            let cookie = try #require(SetCookie.line(SessionCookie.sessionName, in: opened))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "no Secure without an https MEDVAULT_PUBLIC_URL")
            #expect(browser.cookie(SessionCookie.sessionName) != nil)

            let home = try await browser.send(.get, "/")
            #expect(home.status == .ok)
            return try #require(try await harness.database().user(email: AuthHarness.adminEmail)).id.uuidString.lowercased()
        }

        let denied = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied))
        #expect(denied.count == 7, "five wrong passwords and two attempts while locked")
        #expect(denied.allSatisfy { $0.entry.actorID == adminID && $0.entry.httpStatus == 401 && $0.entry.errorCode == "sign_in_failed" })
        #expect(denied.filter { $0.entry.detail == "wrong password" }.count == 5)
        #expect(denied.filter { $0.entry.detail == "account locked" }.count == 2)

        let lockouts = try await harness.auditRows(AuditQuery(action: .authLockout))
        #expect(lockouts.count == 1)
        #expect(lockouts.first?.entry.actorID == adminID)
        #expect(lockouts.first?.entry.actorRole == "admin")
        // The lockout row is written with the fifth failure, after its denial row.
        let fifthFailure = denied.filter { $0.entry.detail == "wrong password" }.last
        #expect(lockouts.first.map { $0.sequence == (fifthFailure?.sequence ?? 0) + 1 } == true)

        let successes = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .success))
        #expect(successes.count == 1)
        #expect(successes.first?.entry.actorID == adminID)
        #expect(successes.first?.entry.httpStatus == 303)
    }

    /// Sends one sign-in per password from its own browser, all at once, and returns the statuses.
    private static func signInSimultaneously(_ client: any TestClientProtocol, passwords: [String]) async throws -> [HTTPResponse.Status] {
        let browsers = passwords.map { _ in Browser(client) }
        for browser in browsers {
            #expect(try await browser.send(.get, "/login").status == .ok)
        }
        return try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
            for (browser, password) in zip(browsers, passwords) {
                let csrf = browser.cookie(SessionCookie.loginCSRFName)
                group.addTask { try await browser.postLogin(email: AuthHarness.adminEmail, password: password, csrfToken: csrf).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func simultaneousWrongPasswordsGetNoMorePasswordChecksThanTheLimit() async throws {
        let harness = AuthHarness(["MEDVAULT_BCRYPT_COST": "6", "MEDVAULT_SIGN_IN_QUEUE": "100"])
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let statuses = try await Self.signInSimultaneously(client, passwords: (1...25).map { "wrong \($0)" })
            #expect(statuses.allSatisfy { $0 == .unauthorized })
            // The right password after the lock is refused.
            #expect(try await Browser(client).signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .unauthorized)
        }
        let denied = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied))
        #expect(denied.filter { $0.entry.detail == "wrong password" }.count == AuthSettings.lockoutThreshold, "passwords checked")
        #expect(denied.filter { $0.entry.detail == "account locked" }.count == 26 - AuthSettings.lockoutThreshold)
        #expect(try await harness.auditRows(AuditQuery(action: .authLockout)).count == 1)
        #expect(try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .success)).isEmpty)
    }

    @Test func aRightPasswordRacingWrongOnesNeverLiftsTheLockTheySet() async throws {
        let harness = AuthHarness(["MEDVAULT_BCRYPT_COST": "6", "MEDVAULT_SIGN_IN_QUEUE": "100"])
        defer { harness.removeDirectory() }
        for round in 0..<3 {
            let passwords = (0..<20).map { $0 % 5 == 4 ? AuthHarness.adminPassword : "wrong \(round) \($0)" }
            try await harness.withApp { client async throws in
                _ = try await Self.signInSimultaneously(client, passwords: passwords)
            }
            let database = try await harness.database()
            let admin = try #require(try await database.user(email: AuthHarness.adminEmail))
            let lockouts = try await harness.auditRows(AuditQuery(action: .authLockout))
            let successes = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .success))
            let checkedWrong = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied)).filter {
                $0.entry.detail == "wrong password"
            }
            if let lockout = lockouts.first {
                #expect(admin.lockedUntil.map { $0 > harness.clock.now } == true, "round \(round): a success lifted the lock another attempt set")
                #expect(!successes.contains { $0.sequence > lockout.sequence }, "round \(round): the right password got in after the lock")
            }
            // Each success starts the count again, so at most the limit of wrong passwords per success and one more round.
            #expect(checkedWrong.count <= AuthSettings.lockoutThreshold * (successes.count + 1), "round \(round)")
            if !lockouts.isEmpty { break }
        }
    }

    @Test func aSuccessfulSignInResetsTheFailureCount() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            // Separate browsers: a signed-in browser's GET /login goes to /.
            for browser in [Browser(client), Browser(client)] {
                for _ in 1..<AuthSettings.lockoutThreshold {
                    #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: "nope").status == .unauthorized)
                }
                #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            }
            // Signed in, the login page sends the browser home.
            let signedIn = Browser(client)
            #expect(try await signedIn.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
            let login = try await signedIn.send(.get, "/login")
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/")
        }
        #expect(try await harness.auditRows(AuditQuery(action: .authLockout)).isEmpty)
    }

    @Test func anUnknownEmailFailsLikeAWrongPassword() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        let (unknown, wrong) = try await harness.withApp { client async throws in
            let browser = Browser(client)
            let unknown = try await browser.signIn(email: "nobody@example.test", password: AuthHarness.adminPassword)
            let wrong = try await browser.signIn(email: AuthHarness.adminEmail, password: "nope")
            return (unknown, wrong)
        }
        #expect(unknown.status == .unauthorized)
        #expect(wrong.status == .unauthorized)
        // Same page apart from the echoed e-mail and the fresh form token.
        func normalized(_ response: TestResponse, email: String) -> String {
            String(buffer: response.body).replacingOccurrences(of: email, with: "EMAIL")
                .replacingOccurrences(of: #"name="csrf_token" value="[^"]*""#, with: "TOKEN", options: .regularExpression)
        }
        #expect(normalized(unknown, email: "nobody@example.test") == normalized(wrong, email: AuthHarness.adminEmail))
        let denied = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied))
        #expect(denied.count == 2)
        #expect(denied.first?.entry.actorID == nil)
    }

    @Test func theSignInFormNeedsItsDoubleSubmitToken() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            // No cookie, no field.
            let bare = try await browser.postLogin(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword, csrfToken: nil)
            #expect(bare.status == .forbidden)
            // A field without the cookie.
            let noCookie = try await browser.postLogin(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword, csrfToken: "forged")
            #expect(noCookie.status == .forbidden)
            // The cookie with another value in the field.
            _ = try await browser.send(.get, "/login")
            #expect(browser.cookie(SessionCookie.loginCSRFName) != nil)
            let mismatched = try await browser.postLogin(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword, csrfToken: "forged")
            #expect(mismatched.status == .forbidden)
            #expect(browser.cookie(SessionCookie.sessionName) == nil)
            // The cookie without the field.
            let noField = try await browser.postLogin(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword, csrfToken: nil)
            #expect(noField.status == .forbidden)
            // Both agreeing: signed in, and the login cookie is cleared.
            let opened = try await browser.postLogin(
                email: AuthHarness.adminEmail,
                password: AuthHarness.adminPassword,
                csrfToken: browser.cookie(SessionCookie.loginCSRFName)
            )
            #expect(opened.status == .seeOther)
            #expect(SetCookie.line(SessionCookie.loginCSRFName, in: opened)?.contains("Max-Age=0") == true)
        }
        // Refused forms never reached the password check.
        #expect(try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied)).isEmpty)
    }
}
