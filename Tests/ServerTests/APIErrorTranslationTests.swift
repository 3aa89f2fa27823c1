import Foundation
import HTTPTypes
import ObjectStorage
import Persistence
import Testing

@testable import Server

/// How storage and database failures reach clients: an outage is 503 with `Retry-After`, a full disk is 507.
@Suite struct APIErrorTranslationTests {
    @Test("storage_unavailable is 503 with the backend's Retry-After")
    func unavailable() throws {
        let error = try #require(APIError.translating(StorageError.unavailable(retryAfter: 7)))
        #expect(error.status == .serviceUnavailable)
        #expect(error.code == "storage_unavailable")
        #expect(error.headers[.retryAfter] == "7")
    }

    @Test("a full disk under the store or the database is 507 insufficient_storage, without Retry-After")
    func fullDisk() throws {
        for underlying in [StorageError.insufficientStorage() as any Error, PersistenceError.storageFull] {
            let error = try #require(APIError.translating(underlying))
            #expect(error.status.code == 507)
            #expect(error.code == "insufficient_storage")
            #expect(error.headers[.retryAfter] == nil)
        }
    }

    @Test("an upload whose intent the sweep claimed is 408 upload_expired")
    func abandonedUpload() throws {
        let error = try #require(APIError.translating(PersistenceError.uploadAbandoned))
        #expect(error.status == .requestTimeout)
        #expect(error.code == "upload_expired")
    }
}
