import Foundation
import Testing

@testable import SigV4

@Suite("SigningKeyCache")
struct SigningKeyCacheTests {
    let day1 = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    func key(
        _ cache: SigningKeyCache,
        at date: Date,
        accessKeyID: String = "AK",
        secret: String = "S",
        region: String = "us-east-1"
    ) throws -> SigningKey {
        cache.signingKey(accessKeyID: accessKeyID, secret: secret, date: try AmzDate(date), region: region, service: "s3")
    }

    @Test("the same key object is reused within a day, and another is derived for another day")
    func reusePerDay() throws {
        let cache = SigningKeyCache()
        let morning = try self.key(cache, at: self.day1)
        let evening = try self.key(cache, at: self.day1.addingTimeInterval(86_399))
        let nextDay = try self.key(cache, at: self.day1.addingTimeInterval(86_400))
        #expect(morning === evening)
        #expect(morning !== nextDay)
        #expect(morning.dateStamp == "20130524")
        #expect(nextDay.dateStamp == "20130525")
        #expect(morning.hexKey != nextDay.hexKey)
        #expect(cache.count == 2)
    }

    @Test("region, access key and secret each get their own key")
    func separateScopes() throws {
        let cache = SigningKeyCache()
        let base = try self.key(cache, at: self.day1)
        #expect(try self.key(cache, at: self.day1, region: "eu-west-1") !== base)
        #expect(try self.key(cache, at: self.day1, accessKeyID: "OTHER") !== base)
        let rotated = try self.key(cache, at: self.day1, secret: "S2")
        #expect(rotated !== base)
        #expect(
            rotated.hexKey == SigningStages.deriveSigningKey(secret: "S2", date: try AmzDate(self.day1), region: "us-east-1", service: "s3").hexKey
        )
    }

    @Test("alternating secrets, days, regions and access keys each get the key derived from their own inputs")
    func alternating() throws {
        let cache = SigningKeyCache(capacity: 4)
        let requests: [(accessKeyID: String, secret: String, day: Int, region: String)] = [
            ("AK", "S", 0, "us-east-1"), ("AK", "S2", 0, "us-east-1"), ("AK", "S", 1, "us-east-1"), ("AK", "S", 0, "eu-west-1"),
            ("AK2", "S", 0, "us-east-1"), ("AK", "S", 0, "us-east-1"), ("AK", "S2", 0, "us-east-1"), ("AK", "S", 1, "eu-west-1"),
        ]
        for round in 0..<3 {
            for request in requests {
                let date = try AmzDate(self.day1.addingTimeInterval(Double(request.day) * 86_400 + Double(round)))
                func lookUp() -> SigningKey {
                    cache.signingKey(accessKeyID: request.accessKeyID, secret: request.secret, date: date, region: request.region, service: "s3")
                }
                let key = lookUp()
                let expected = SigningStages.deriveSigningKey(secret: request.secret, date: date, region: request.region, service: "s3")
                #expect(key.hexKey == expected.hexKey, "\(request) in round \(round)")
                #expect(key.dateStamp == expected.dateStamp)
                // Asked twice in a row (the last-key path), the same key object comes back.
                #expect(key === lookUp())
                #expect(cache.count <= 4)
            }
        }
        // Five (access key, day, region) slots went through a cache of four: it evicted and re-derived along the way.
        #expect(cache.count == 4)
    }

    @Test("removeAll also forgets the last key")
    func removeAllForgetsLast() throws {
        let cache = SigningKeyCache()
        let before = try self.key(cache, at: self.day1)
        cache.removeAll()
        let after = try self.key(cache, at: self.day1)
        #expect(after !== before)
        #expect(after.hexKey == before.hexKey)
        #expect(cache.count == 1)
    }

    @Test("the cache stays within its capacity")
    func bounded() throws {
        let cache = SigningKeyCache(capacity: 3)
        for day in 0..<10 {
            _ = try self.key(cache, at: self.day1.addingTimeInterval(Double(day) * 86_400))
            #expect(cache.count <= 3)
        }
        #expect(cache.count == 3)
        // The newest key is still cached.
        let newest = try self.key(cache, at: self.day1.addingTimeInterval(9 * 86_400))
        #expect(newest === (try self.key(cache, at: self.day1.addingTimeInterval(9 * 86_400))))
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test("concurrent callers all get the same key")
    func concurrent() async throws {
        let cache = SigningKeyCache()
        let date = try AmzDate(self.day1)
        let identities = await withTaskGroup(of: ObjectIdentifier.self) { group in
            for _ in 0..<64 {
                group.addTask { ObjectIdentifier(cache.signingKey(accessKeyID: "AK", secret: "S", date: date, region: "us-east-1", service: "s3")) }
            }
            var identities = Set<ObjectIdentifier>()
            for await identity in group { identities.insert(identity) }
            return identities
        }
        #expect(identities.count == 1)
        #expect(cache.count == 1)
    }

    @Test("concurrent callers alternating between credentials and regions each get their own key")
    func concurrentAlternating() async throws {
        let cache = SigningKeyCache(capacity: 2)
        let date = try AmzDate(self.day1)
        let scopes = [("S", "us-east-1"), ("S2", "us-east-1"), ("S", "eu-west-1")]
        let expected = scopes.map { SigningStages.deriveSigningKey(secret: $0.0, date: date, region: $0.1, service: "s3").hexKey }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for call in 0..<300 {
                        let index = (task + call) % scopes.count
                        let key = cache.signingKey(accessKeyID: "AK", secret: scopes[index].0, date: date, region: scopes[index].1, service: "s3")
                        if key.hexKey != expected[index] { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        #expect(cache.count <= 2)
    }

    @Test("signers sharing a cache derive a day's key once")
    func signerUsesCache() throws {
        let cache = SigningKeyCache()
        let signer = try SigV4Signer(credentials: Credentials(accessKeyID: "AK", secretAccessKey: "S"), region: "us-east-1", cache: cache)
        for second in 0..<5 {
            _ = try signer.presign(method: "GET", host: "h.example", path: "/b/k", expires: 60, date: self.day1.addingTimeInterval(Double(second)))
        }
        #expect(cache.count == 1)
    }
}
