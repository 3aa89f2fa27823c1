import Foundation
import Testing

@testable import ObjectStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ObjectStorageTests {
    @Suite("Abandoned uploads and a full disk")
    struct AbandonedUploadTests {
        @Test("a full disk or quota is insufficient_storage (507), not a retryable outage")
        func fullDiskIsInsufficientStorage() {
            for code in [ENOSPC, EDQUOT] {
                let error = StorageError.systemCall("pwrite", errno: code)
                #expect(error.code == "insufficient_storage")
                #expect(error.retryAfter == nil)
            }
            #expect(StorageError.systemCall("open", errno: EMFILE).code == "storage_unavailable")
        }
    }
}
