import Crypto
import Foundation
import Logging
import ObjectStorage
import Testing

@testable import Server

@Suite struct EncryptionProbeTests {
    private func withStore(_ body: (LocalObjectStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await body(LocalObjectStore(dataDirectory: directory, masterKey: SymmetricKey(size: .bits256)))
    }

    @Test func readsTheEncryptionBackAndLeavesNothingBehind() async throws {
        try await withStore { store in
            let probe = EncryptionProbe(store: store, expected: LocalObjectStore.serverSideEncryption, now: Date.init)
            let result = try await probe.result(logger: Logger(label: "test"))
            #expect(result.verified)
            #expect(result.serverSideEncryption == LocalObjectStore.serverSideEncryption)
            let listing = try await store.list(prefix: "", continuationToken: nil, maxKeys: 10, logger: Logger(label: "test"))
            #expect(listing.objects.isEmpty)
        }
    }

    @Test func anotherEncryptionThanExpectedIsNotVerified() async throws {
        try await withStore { store in
            let probe = EncryptionProbe(store: store, expected: "aws:kms", now: Date.init)
            let result = try await probe.result(logger: Logger(label: "test"))
            #expect(!result.verified)
        }
    }

    @Test func theVerdictIsCachedForAWhile() async throws {
        try await withStore { store in
            let clock = ManualClock()
            let probe = EncryptionProbe(store: store, expected: nil, now: { clock.now })
            let first = try await probe.result(logger: Logger(label: "test"))
            clock.advance(by: EncryptionProbe.cacheLifetime - 1)
            let cached = try await probe.result(logger: Logger(label: "test"))
            #expect(cached.checkedAt == first.checkedAt)
            clock.advance(by: 2)
            let fresh = try await probe.result(logger: Logger(label: "test"))
            #expect(fresh.checkedAt != first.checkedAt)
        }
    }
}

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current += seconds }
    }
}
