import Foundation
import Synchronization
import Testing

@testable import Persistence

/// ``JobLeases``: on PostgreSQL one holder of a job's lease at a time, across nodes and within one; on SQLite
/// always granted, since one node owns the file.
@Suite("Job leases: one node at a time runs a periodic job")
struct JobLeaseTests {
    /// Runs `body` with two nodes on one fresh database of `engine`: two handles on one SQLite file, or two pools on
    /// one PostgreSQL database.
    private func withTwoNodes(_ engine: TestEngine, _ body: (any AppDatabase, any AppDatabase) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            let test = try TestDatabase()
            defer { test.remove() }
            try await body(try test.open(), try test.open())
        case .postgres:
            let location = try await PostgresTestServer.createDatabase()
            let result: Result<Void, any Error>
            do {
                let (first, second) = try await (PostgresTestServer.open(location), PostgresTestServer.open(location))
                do {
                    try await body(first, second)
                    result = .success(())
                } catch {
                    result = .failure(error)
                }
                await first.close()
                await second.close()
            } catch {
                result = .failure(error)
            }
            try await PostgresTestServer.dropDatabase(location)
            try result.get()
        }
    }

    @Test("while one node holds a job's lease, the other is refused it on PostgreSQL and granted it on SQLite", arguments: TestEngine.all)
    func secondHolder(_ engine: TestEngine) async throws {
        try await withTwoNodes(engine) { first, second in
            let inner = try await first.withJobLease(.sessionPurge) {
                let other = try? await second.withJobLease(.sessionPurge) { "second" }
                let same = try? await first.withJobLease(.sessionPurge) { "same node" }
                let otherJob = try? await second.withJobLease(.uploadIntentSweep) { "other job" }
                return [other ?? nil, same ?? nil, otherJob ?? nil]
            }
            switch engine {
            case .sqlite: #expect(inner == ["second", "same node", "other job"])
            case .postgres: #expect(inner == [nil, nil, "other job"])
            }
            // Released when the holder's body returned.
            #expect(try await second.withJobLease(.sessionPurge) { 7 } == 7)
        }
    }

    @Test("of many rounds started at once on two nodes, never two run together on PostgreSQL", arguments: TestEngine.all)
    func exclusiveRounds(_ engine: TestEngine) async throws {
        try await withTwoNodes(engine) { first, second in
            let running = Overlap()
            let ran = try await withThrowingTaskGroup(of: Bool.self) { group in
                for round in 0..<20 {
                    let node = round.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try await node.withJobLease(.uploadIntentSweep) {
                            running.enter()
                            try? await Task.sleep(for: .milliseconds(100))
                            running.leave()
                        } != nil
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            switch engine {
            case .sqlite:
                #expect(ran == 20)
            case .postgres:
                #expect(ran >= 1 && ran < 20)
                #expect(running.most == 1)
            }
        }
    }
}

/// How many rounds ran at once, at most.
private final class Overlap: Sendable {
    private let state = Mutex((now: 0, most: 0))

    func enter() {
        state.withLock {
            $0.now += 1
            $0.most = max($0.most, $0.now)
        }
    }

    func leave() {
        state.withLock { $0.now -= 1 }
    }

    var most: Int { state.withLock { $0.most } }
}
