import Foundation
import Testing

@testable import Audit

@Suite("AuditEntry")
struct AuditEntryTests {
    @Test("occurredAt is rounded to the millisecond and survives a JSON round trip unchanged")
    func millisecondPrecision() throws {
        let entry = AuditEntry(
            occurredAt: Date(timeIntervalSince1970: 1_700_000_000.123_456),
            action: .documentList,
            outcome: .success,
            requestID: "r"
        )
        #expect(entry.occurredAt.millisecondsSince1970 == 1_700_000_000_123)
        #expect(entry.occurredAt == Date(millisecondsSince1970: 1_700_000_000_123))
        let decoded = try JSONDecoder().decode(AuditEntry.self, from: JSONEncoder().encode(entry))
        #expect(decoded == entry)
        var withPatient = entry
        withPatient.patientID = "p1"
        #expect(try JSONDecoder().decode(AuditEntry.self, from: JSONEncoder().encode(withPatient)) == withPatient)
    }

    @Test("milliseconds convert back exactly, for many values")
    func millisecondRoundTrip() {
        for milliseconds: Int64 in [0, 1, 999, 1_700_000_000_001, 1_700_000_000_123, 4_102_444_799_999, -1] {
            #expect(Date(millisecondsSince1970: milliseconds).millisecondsSince1970 == milliseconds)
        }
    }

    @Test("action and outcome raw values are the stored contract")
    func rawValues() {
        #expect(
            AuditAction.allCases.map(\.rawValue) == [
                "document.upload", "document.download", "document.presign", "document.presigned_fetch", "document.list",
                "document.archive", "document.delete", "storage.stats", "storage.config", "storage.selftest",
                "auth.sign_in", "auth.sign_out", "auth.lockout", "auth.session_expired", "auth.token_issue",
                "user.create", "user.disable", "user.password_set", "careteam.add", "careteam.remove",
                "audit.query", "audit.export", "user.list", "careteam.list", "upload.create", "upload.complete",
                "upload.status", "upload.abort", "document.restore", "document.hold", "document.hold_release", "document.revoke", "document.import",
                "reconcile.run", "lifecycle.expire", "lifecycle.transition", "lifecycle.erase", "entity.export",
                "reconcile.delete_orphan", "reconcile.mark_missing", "entity.erase", "appointment.add",
            ]
        )
        #expect(AuditOutcome.allCases.map(\.rawValue) == ["success", "rejected", "denied", "failed"])
    }

    @Test("sanitising replaces NUL and caps long fields, and is idempotent")
    func sanitizing() {
        var entry = AuditFixtures.firstEntry
        entry.userAgent = "evil\0agent"
        entry.detail = String(repeating: "x", count: AuditEntry.maximumFieldLength + 50)
        entry.requestID = "r\0"
        entry.patientID = "p\0" + String(repeating: "1", count: AuditEntry.maximumFieldLength)
        let clean = entry.sanitizedForStorage()
        #expect(clean.userAgent == "evil\u{FFFD}agent")
        #expect(clean.patientID == "p\u{FFFD}" + String(repeating: "1", count: AuditEntry.maximumFieldLength - 2))
        #expect(clean.requestID == "r\u{FFFD}")
        #expect(clean.detail?.count == AuditEntry.maximumFieldLength)
        #expect(clean.sanitizedForStorage() == clean)
        #expect(AuditFixtures.secondEntry.sanitizedForStorage() == AuditFixtures.secondEntry)
    }
}
