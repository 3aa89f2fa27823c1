import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Persistence
import Testing

@testable import Server

@Suite("The database at the edge: /readyz and database_unavailable")
struct DatabaseErrorTests {
    @Test("a database that cannot be reached is a 503 database_unavailable with Retry-After, never an internal error")
    func unavailableIsA503() throws {
        let error = try #require(APIError.translating(PersistenceError.unavailable))
        #expect(error.status == .serviceUnavailable)
        #expect(error.code == "database_unavailable")
        #expect(error.headers[HTTPField.Name.retryAfter] == "5")
        #expect(APIError.translating(PersistenceError.database) == nil, "other database failures stay internal errors")
    }

    @Test("/readyz answers ready with the database and the local store, without credentials")
    func readyz() async throws {
        let harness = AuthHarness()
        defer { harness.removeDirectory() }
        try await harness.withApp { client in
            let response = try await client.execute(uri: "/readyz", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == #"{"database":"ok","status":"ready","storage":"ok"}"#)
        }
    }
}
