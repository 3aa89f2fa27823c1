import Documents
import Foundation
import NIOCore
import Persistence
import Testing

@testable import Server

/// A held document's `legalHold` is written by hand in list pages; it must read exactly as `JSONEncoder` writes it,
/// and be absent for documents that are not held.
@Suite struct LegalHoldResponseTests {
    private func record(holdReason: String?, heldBy: String?) -> DocumentRecord {
        var record = DocumentRecord(
            id: UUID(),
            key: "patients/P1/other/held.txt",
            fileName: "held.txt",
            size: 5,
            contentType: "text/plain",
            category: .other,
            entityType: .patient,
            entityID: "P1",
            sha256: String(repeating: "ab", count: 32),
            etag: "\"etag\"",
            uploadedAt: Date(timeIntervalSince1970: 1_750_000_000)
        )
        if let holdReason {
            record.holdReason = holdReason
            record.heldAt = Date(timeIntervalSince1970: 1_760_000_000.123)
            record.heldBy = heldBy
        }
        return record
    }

    @Test(
        "the hand-written list body equals the encoder's, held or not",
        arguments: [("Case 2026-14 \"Smith\" \\ </script>\u{0}", "4c1f…"), ("litigation", nil), (nil, nil)] as [(String?, String?)]
    )
    func writtenEqualsEncoded(reason: String?, heldBy: String?) throws {
        let response = ListResponse(
            files: [DocumentResponse(record(holdReason: reason, heldBy: heldBy))],
            isTruncated: false,
            nextContinuationToken: nil
        )
        let written = String(buffer: try JSONResponse(response).body())
        let encoded = String(decoding: try JSONResponse<ListResponse>.makeEncoder().encode(response), as: UTF8.self)
        #expect(written == encoded)
        #expect(written.contains("\"legalHold\"") == (reason != nil))
        if reason != nil {
            #expect(written.contains("\"heldAt\":\"2025-10-09T08:53:20.123Z\""))
            #expect(written.contains("\"heldBy\":" + (heldBy == nil ? "null" : "\"4c1f…\"")))
        }
    }
}
