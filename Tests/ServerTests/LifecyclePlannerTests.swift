import Documents
import Foundation
import Persistence
import Testing

@testable import Server

@Suite struct LifecyclePlannerTests {
    private let day: TimeInterval = 86_400
    private let uploaded = Date(timeIntervalSince1970: 1_800_000_000)
    private let planner = LifecyclePlanner(rules: LifecycleRules(archivedRetentionDays: 30))

    private func record(key: String, status: DocumentStatus = .active, archivedAt: Date? = nil, held: Bool = false) -> DocumentRecord {
        DocumentRecord(
            id: UUID(),
            key: key,
            fileName: "scan.pdf",
            searchName: "scan.pdf",
            size: 10,
            contentType: "application/pdf",
            category: .medicalRecords,
            entityType: .patient,
            entityID: "p1",
            sha256: String(repeating: "a", count: 64),
            etag: "e",
            uploadedAt: uploaded,
            uploadedBy: nil,
            status: status,
            originalKey: status == .archived ? "patients/p1/medical-records/x.pdf" : nil,
            archivedAt: archivedAt,
            holdReason: held ? "litigation" : nil,
            heldAt: held ? uploaded : nil
        )
    }

    @Test func tempUploadsExpireAtExactlySevenDays() {
        let temp = record(key: "temp/\(UUID().lowercaseText)-scan.pdf")
        #expect(planner.action(for: temp, at: uploaded.addingTimeInterval(7 * day - 0.001)) == nil)
        #expect(planner.action(for: temp, at: uploaded.addingTimeInterval(7 * day))?.kind == .expire)
    }

    @Test func activeDocumentsTransitionAtExactlyNinetyDays() {
        let document = record(key: "patients/p1/medical-records/a.pdf")
        #expect(planner.action(for: document, at: uploaded.addingTimeInterval(90 * day - 0.001)) == nil)
        let action = planner.action(for: document, at: uploaded.addingTimeInterval(90 * day))
        #expect(action?.kind == .transition(storageClass: "GLACIER_IR"))
        #expect(action?.name == "lifecycle.transition")
        #expect(action?.key == document.key)
    }

    @Test func archivedDocumentsAreErasedCountingFromTheirArchiving() {
        let archivedAt = uploaded.addingTimeInterval(200 * day)
        let archived = record(key: "archived/patients/p1/medical-records/a.pdf", status: .archived, archivedAt: archivedAt)
        #expect(planner.action(for: archived, at: archivedAt.addingTimeInterval(30 * day - 0.001)) == nil)
        #expect(planner.action(for: archived, at: archivedAt.addingTimeInterval(30 * day))?.kind == .erase)
    }

    @Test func archivedDocumentsAreKeptForeverWithoutARetention() {
        let keepForever = LifecyclePlanner(rules: LifecycleRules())
        let archived = record(key: "archived/patients/p1/medical-records/a.pdf", status: .archived, archivedAt: uploaded)
        #expect(keepForever.action(for: archived, at: uploaded.addingTimeInterval(36_500 * day)) == nil)
    }

    @Test func heldDocumentsGetNoActionFromAnyRule() {
        let late = uploaded.addingTimeInterval(10_000 * day)
        #expect(planner.action(for: record(key: "temp/\(UUID().lowercaseText)-x.pdf", held: true), at: late) == nil)
        #expect(planner.action(for: record(key: "patients/p1/medical-records/a.pdf", held: true), at: late) == nil)
        let archived = record(key: "archived/patients/p1/medical-records/a.pdf", status: .archived, archivedAt: uploaded, held: true)
        #expect(planner.action(for: archived, at: late) == nil)
    }

    @Test func planKeepsTheOrderOfTheRowsAndLeavesOutTheOnesNotDue() {
        let temp = record(key: "temp/\(UUID().lowercaseText)-x.pdf")
        let active = record(key: "patients/p1/medical-records/a.pdf")
        let actions = planner.plan([temp, active], at: uploaded.addingTimeInterval(8 * day))
        #expect(actions.map(\.documentID) == [temp.id])
    }
}
