import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import Server

/// On the local store `MEDVAULT_BUCKET_ROUTES` is checked, then ignored with one notice at start-up: every category stays
/// under the data directory.
@Suite struct LocalStoreRoutesNoticeTests {
    private func startUpNotices(_ extra: [String: String]) async throws -> [String] {
        let harness = AuthHarness(extra)
        let logs = CapturingLogHandler.Box()
        let app = try await buildApplication(configuration: try harness.configuration(), logger: logs.logger("routes-notice-test"))
        try await app.test(.router) { _ in }
        return logs.all.filter { $0.level == .notice }.map(\.message)
    }

    @Test func routesOnTheLocalStoreAreIgnoredWithOneNotice() async throws {
        let notices = try await startUpNotices(["MEDVAULT_BUCKET_ROUTES": "verification-photo=clinic-verification"])
        #expect(
            notices.filter { $0.contains("MEDVAULT_BUCKET_ROUTES") } == [
                "MEDVAULT_BUCKET_ROUTES is ignored: the local store keeps every category under the data directory"
            ]
        )
    }

    @Test func withoutRoutesThereIsNoNotice() async throws {
        #expect(try await startUpNotices([:]).allSatisfy { !$0.contains("MEDVAULT_BUCKET_ROUTES") })
    }
}
