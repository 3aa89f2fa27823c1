import Audit
import Foundation
import GRDB
import Testing

@testable import Persistence

@Suite("Throttle: token buckets, in memory and in sign_in_buckets")
struct ThrottleStorageTests {
    private static let start = Date(millisecondsSince1970: Fixtures.baseMilliseconds)

    @Test("a full bucket gives its size at once, then one token per interval, and never holds more than its size")
    func bucketArithmetic() {
        let bucket = TokenBucket(size: 3, refillInterval: 2)
        #expect(bucket.refillInterval == 2000)
        #expect(bucket.fillTime == 6000)
        var emptyAt: Int64? = nil
        let now: Int64 = 1_000_000
        for expected: Int64 in [now - 4000, now - 2000, now] {
            guard case .taken(let next) = bucket.take(emptyAt: emptyAt, now: now) else {
                Issue.record("refused while tokens were left")
                return
            }
            #expect(next == expected)
            emptyAt = next
        }
        #expect(bucket.take(emptyAt: emptyAt, now: now) == .refused(retryAfter: 2000))
        #expect(bucket.take(emptyAt: emptyAt, now: now + 1999) == .refused(retryAfter: 1))
        #expect(bucket.take(emptyAt: emptyAt, now: now + 2000) == .taken(emptyAt: now + 2000))
        // An hour idle is still only a full bucket: three tokens, not eighteen hundred.
        let later = now + 3_600_000
        #expect(bucket.take(emptyAt: now, now: later) == .taken(emptyAt: later - 4000))
        // Degenerate settings are raised to one token and one millisecond.
        #expect(TokenBucket(size: 0, refillInterval: 0) == TokenBucket(size: 1, refillInterval: 0.001))
    }

    @Test("takeTokens takes from every bucket or from none, and says how long until all have a token", arguments: TestEngine.all)
    func allOrNone(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database async throws in
            let wide = (key: "address:a", bucket: TokenBucket(size: 5, refillInterval: 1))
            let narrow = (key: "account:b", bucket: TokenBucket(size: 2, refillInterval: 10))
            #expect(try await database.takeTokens([wide, narrow], at: Self.start) == nil)
            #expect(try await database.takeTokens([wide, narrow], at: Self.start) == nil)
            #expect(try await database.takeTokens([wide, narrow], at: Self.start) == 10)
            #expect(try await database.takeTokens([narrow], at: Self.start.addingTimeInterval(4)) == 6)
            // The refused attempts took nothing from the wide bucket: it still has three of five.
            for _ in 1...3 {
                #expect(try await database.takeTokens([wide], at: Self.start) == nil)
            }
            #expect(try await database.takeTokens([wide], at: Self.start) == 1)
            #expect(try await database.takeTokens([wide, narrow], at: Self.start.addingTimeInterval(10)) == nil)
        }
    }

    @Test("buckets that are full again are deleted, so the table only holds buckets in use", arguments: TestEngine.all)
    func housekeeping(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database async throws in
            let bucket = TokenBucket(size: 2, refillInterval: 30)
            for index in 0..<5 {
                for _ in 1...2 {
                    #expect(try await database.takeTokens([(key: "account:\(index)", bucket: bucket)], at: Self.start) == nil)
                }
            }
            let count = { try await RawSQL.column("SELECT count(*) FROM sign_in_buckets", as: Int.self, in: database).first }
            #expect(try await count() == 5)
            // 30 s later the five have one token back of two: they are kept.
            #expect(try await database.takeTokens([(key: "account:new", bucket: bucket)], at: Self.start.addingTimeInterval(30)) == nil)
            #expect(try await count() == 6)
            // A minute after they were emptied they are full again, and so is the one taken from at 30 s: they go.
            #expect(try await database.takeTokens([(key: "account:newer", bucket: bucket)], at: Self.start.addingTimeInterval(60)) == nil)
            #expect(try await count() == 1)
        }
    }

    @Test("of 30 simultaneous takes from a bucket of 10, exactly 10 succeed", arguments: TestEngine.all)
    func simultaneousTakes(_ engine: TestEngine) async throws {
        try await TestDatabase.with(engine) { database async throws in
            let bucket = (key: "address:flood", bucket: TokenBucket(size: 10, refillInterval: 60))
            let results = try await withThrowingTaskGroup(of: TimeInterval?.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await database.takeTokens([bucket], at: Self.start) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 == nil }.count == 10)
            #expect(results.compactMap { $0 }.allSatisfy { $0 == 60 })
        }
    }
}
