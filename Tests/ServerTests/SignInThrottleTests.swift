import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Server

/// The sign-in throttle on the real application: token buckets per account identifier and per client address
/// in the database, answered 429 `too_many_requests` with `Retry-After` before any password is checked.
@Suite struct SignInThrottleTests {
    @Test func anAccountsBucketRefusesBeyondItsBurstUntilATokenIsEarnedBack() async throws {
        let harness = AuthHarness(["MEDVAULT_SIGN_IN_ACCOUNT_BURST": "3", "MEDVAULT_SIGN_IN_ACCOUNT_REFILL": "60"])
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            for _ in 1...3 {
                #expect(try await browser.signIn(email: "nobody@example.test", password: "guess").status == .unauthorized)
            }
            let throttled = try await browser.signIn(email: " NOBODY@example.test", password: "guess")
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] == "60")
            #expect(String(buffer: throttled.body).contains(#"data-error-code="too_many_requests""#))
            #expect(String(buffer: throttled.body).contains("Try again in 60 s"))
            #expect(browser.cookie(SessionCookie.loginCSRFName) != nil, "the form can be sent again")

            // Another account is not held back by it, a known one neither.
            #expect(try await browser.signIn(email: "other@example.test", password: "guess").status == .unauthorized)
            #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)

            harness.clock.advance(by: 59)
            let stillThrottled = try await Browser(client).signIn(email: "nobody@example.test", password: "guess")
            #expect(stillThrottled.status == .tooManyRequests)
            #expect(stillThrottled.headers[.retryAfter] == "1")
            harness.clock.advance(by: 1)
            #expect(try await Browser(client).signIn(email: "nobody@example.test", password: "guess").status == .unauthorized)
        }
        let throttled = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied)).filter { $0.entry.httpStatus == 429 }
        #expect(throttled.count == 2)
        #expect(throttled.allSatisfy { $0.entry.errorCode == "too_many_requests" && $0.entry.actorID == nil })
        #expect(throttled.allSatisfy { !($0.entry.detail ?? "").contains("nobody") })
    }

    @Test func throttledAttemptsOnAnAccountAreNotPasswordChecksAndDoNotCountTowardsTheLockout() async throws {
        let harness = AuthHarness(["MEDVAULT_SIGN_IN_ACCOUNT_BURST": "4", "MEDVAULT_SIGN_IN_ACCOUNT_REFILL": "600"])
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            let browser = Browser(client)
            for _ in 1...4 {
                #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: "wrong").status == .unauthorized)
            }
            for _ in 1...5 {
                #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: "wrong").status == .tooManyRequests)
            }
            harness.clock.advance(by: 600)
            // Four failures, not nine: the right password still works.
            #expect(try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
        }
        let denied = try await harness.auditRows(AuditQuery(action: .authSignIn, outcome: .denied))
        #expect(denied.filter { $0.entry.detail == "wrong password" }.count == 4)
        #expect(try await harness.auditRows(AuditQuery(action: .authLockout)).isEmpty)
    }

    @Test func anAddresssBucketRefusesWhateverAccountIsTried() async throws {
        let harness = AuthHarness(["MEDVAULT_SIGN_IN_ADDRESS_BURST": "3", "MEDVAULT_SIGN_IN_ADDRESS_REFILL": "5"])
        defer { harness.removeDirectory() }
        try await harness.withApp { client async throws in
            for index in 1...3 {
                #expect(try await Browser(client).signIn(email: "user\(index)@example.test", password: "guess").status == .unauthorized)
            }
            let throttled = try await Browser(client).signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] == "5")
            harness.clock.advance(by: 5)
            #expect(try await Browser(client).signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword).status == .seeOther)
        }
    }

    @Test func theThrottleSettingsMustBePositiveWholeNumbers() throws {
        for name in [
            "MEDVAULT_SIGN_IN_ADDRESS_BURST", "MEDVAULT_SIGN_IN_ADDRESS_REFILL", "MEDVAULT_SIGN_IN_ACCOUNT_BURST",
            "MEDVAULT_SIGN_IN_ACCOUNT_REFILL", "MEDVAULT_BCRYPT_CONCURRENCY", "MEDVAULT_SIGN_IN_QUEUE",
        ] {
            for bad in ["0", "-1", "many", "1.5"] {
                #expect(throws: ConfigurationError.self, "\(name)=\(bad)") { try AuthHarness([name: bad]).configuration() }
            }
        }
        let settings = try AuthHarness(["MEDVAULT_SIGN_IN_QUEUE": "7", "MEDVAULT_BCRYPT_CONCURRENCY": "3"]).configuration().auth.throttle
        #expect(settings.queueLimit == 7)
        #expect(settings.bcryptConcurrency == 3)
        let defaults = SignInThrottleSettings()
        #expect(defaults.addressBurst == 30 && defaults.addressRefill == 2 && defaults.accountBurst == 10 && defaults.accountRefill == 30)
        #expect(defaults.queueLimit == 4 && defaults.bcryptConcurrency >= 1)
    }
}
