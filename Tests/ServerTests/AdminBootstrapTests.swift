import Access
import Audit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Server

/// The first administrator of a fresh install: generated and announced once, or taken from
/// `MEDVAULT_ADMIN_EMAIL` / `MEDVAULT_ADMIN_PASSWORD`.
@Suite struct AdminBootstrapTests {
    @Test func aFreshInstallAnnouncesAGeneratedPasswordOnceAndItSignsIn() async throws {
        let harness = AuthHarness(withAdministrator: false)
        defer { harness.removeDirectory() }
        let first = Announcements()
        try await harness.withApp(announce: first.record) { _ in }
        #expect(first.lines.count == 1)
        let line = try #require(first.lines.first)
        let prefix = "medvault: created administrator \(AuthSettings.defaultAdminEmail) with one-time password: "
        #expect(line.hasPrefix(prefix))
        let password = String(line.dropFirst(prefix.count))
        #expect(password.count >= 12)
        #expect(!password.contains(" "))

        let admin = try #require(try await harness.database().user(email: AuthSettings.defaultAdminEmail))
        #expect(admin.role == .admin)
        #expect(!admin.disabled)
        #expect(!admin.passwordHash.contains(password), "only the hash is stored")

        // A second start on the same data directory says nothing, and the announced password works.
        let second = Announcements()
        try await harness.withApp(announce: second.record) { client async throws in
            let browser = Browser(client)
            let wrong = try await browser.signIn(email: AuthSettings.defaultAdminEmail, password: password + "x")
            #expect(wrong.status == .unauthorized)
            let opened = try await browser.signIn(email: AuthSettings.defaultAdminEmail, password: password)
            #expect(opened.status == .seeOther)
            #expect(try await browser.send(.get, "/").status == .ok)
        }
        #expect(second.lines.isEmpty)
        #expect(try await harness.database().users().count == 1)

        let creations = try await harness.auditRows(AuditQuery(action: .userCreate))
        #expect(creations.count == 1)
        #expect(creations.first?.entry.actorID == "system")
    }

    @Test func configuredAdministratorCredentialsAreUsedSilently() async throws {
        let harness = AuthHarness(withAdministrator: true)
        defer { harness.removeDirectory() }
        let announcements = Announcements()
        try await harness.withApp(announce: announcements.record) { client async throws in
            let browser = Browser(client)
            let opened = try await browser.signIn(email: AuthHarness.adminEmail, password: AuthHarness.adminPassword)
            #expect(opened.status == .seeOther)
        }
        try await harness.withApp(announce: announcements.record) { _ in }
        #expect(announcements.lines.isEmpty)
        let users = try await harness.database().users()
        #expect(users.map(\.email) == [AuthHarness.adminEmail])
        #expect(try await harness.database().user(email: AuthSettings.defaultAdminEmail) == nil)
    }
}

/// Nodes that start together on one empty database all run the bootstrap: one creates the administrator, and the
/// others, whose insert meets it, start as well instead of failing.
@Suite struct AdminBootstrapRaceTests {
    @Test func bootstrapsRunningTogetherCreateOneAdministratorAndAllSucceed() async throws {
        let harness = AuthHarness(withAdministrator: true)
        defer { harness.removeDirectory() }
        let database = try await harness.database()
        let settings = try harness.configuration().auth
        let hasher = PasswordHasher(cost: 4, concurrency: 8, queueLimit: 8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await AdminBootstrap.ensureAdministrator(database: database, settings: settings, hasher: hasher, now: Date()) { _ in }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await database.users().filter { $0.role == .admin }.count == 1)
        await database.close()
    }
}
