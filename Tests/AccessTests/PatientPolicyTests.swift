import Access
import Documents
import Foundation
import Testing

@Suite("Patient policy")
struct PatientPolicyTests {
    /// Patient P1: own documents only; archive only their own upload, within 24 h (it is an hour old here). The media
    /// folders add: D2's therapy media (P1 is on D2's care team), every provider's profile, and A1's chat (P1 takes
    /// part), which they may read, list and upload to but not archive.
    static let table: [Expectation] = [
        Expectation(.p1ByPatient, ok, ok, ok, ok, adminOnly, ok),
        Expectation(.p1ByProvider, ok, ok, ok, no, adminOnly, ok),
        Expectation(.p2ByPatient, no, no, no, no, adminOnly, no),
        Expectation(.p3ByProvider, no, no, no, no, adminOnly, no),
        Expectation(.d1, no, no, no, no, adminOnly, no),
        Expectation(.d2, no, no, no, no, adminOnly, no),
        Expectation(.appointmentByPatient, no, no, no, no, adminOnly, no),
        Expectation(.appointmentByProvider, no, no, no, no, adminOnly, no),
        Expectation(.appointmentByOther, no, no, no, no, adminOnly, no),
        Expectation(.appointmentFromKey, no, no, no, no, adminOnly, no),
        Expectation(.prescriptionByProvider, no, no, no, no, adminOnly, no),
        Expectation(.prescriptionByOther, no, no, no, no, adminOnly, no),
        Expectation(.retiredP1, no, no, no, no, adminOnly, no),
        Expectation(.retiredP3, no, no, no, no, adminOnly, no),
        Expectation(.retiredD1, no, no, no, no, adminOnly, no),
        Expectation(.temp, no, no, no, no, adminOnly, no),
        Expectation(.d1TherapyMedia, no, no, no, no, adminOnly, no),
        Expectation(.d2TherapyMedia, no, ok, ok, no, adminOnly, no),
        Expectation(.d1Profile, no, ok, ok, no, adminOnly, no),
        Expectation(.d2Profile, no, ok, ok, no, adminOnly, no),
        Expectation(.p1Profile, ok, ok, ok, ok, adminOnly, ok),
        Expectation(.p1Verification, ok, ok, ok, ok, adminOnly, ok),
        Expectation(.p3Verification, no, no, no, no, adminOnly, no),
        Expectation(.a1ChatByProvider, ok, ok, ok, no, adminOnly, no),
        Expectation(.a1ChatByPatient, ok, ok, ok, no, adminOnly, no),
        Expectation(.a2ChatByProvider, no, no, no, no, adminOnly, no),
        Expectation(.retiredA1Chat, no, no, no, no, adminOnly, no),
    ]

    @Test func tableCoversEveryOwner() {
        #expect(Self.table.map(\.owner) == Owner.allCases)
    }

    @Test("every action on every owner", arguments: table)
    func decides(_ row: Expectation) {
        row.check(Fixture.patient)
    }

    @Test("a break-glass reason gains a patient nothing", arguments: table)
    func reasonGainsNothing(_ row: Expectation) {
        row.check(Fixture.patient, reason: "emergency, unconscious")
    }

    /// Age of the upload in seconds, and what archiving it decides.
    static let ages: [(TimeInterval, AccessDecision)] = [
        (0, ok), (1, ok), (82_800, ok), (86_399, ok), (86_399.999, ok),
        (86_400, closed), (86_400.001, closed), (86_401, closed), (2_592_000, closed),
    ]

    @Test("archiving their own upload closes at 24 hours", arguments: ages)
    func deleteWindow(age: TimeInterval, expected: AccessDecision) {
        let owner = DocumentOwner(entityType: .patient, entityID: Fixture.p1, uploadedBy: Fixture.patientUser, uploadedAt: Fixture.now - age)
        #expect(AccessPolicy.decide(.archive, owner: owner, principal: Fixture.patient, now: Fixture.now) == expected)
        // Only archiving depends on time.
        #expect(AccessPolicy.decide(.read, owner: owner, principal: Fixture.patient, now: Fixture.now) == ok)
    }

    @Test func windowIsOneDay() {
        #expect(AccessPolicy.patientDeleteWindow == 86_400)
    }

    @Test("archiving needs a known uploader who is the caller, and a known upload time")
    func archiveNeedsProvenance() {
        let unknownTime = DocumentOwner(entityType: .patient, entityID: Fixture.p1, uploadedBy: Fixture.patientUser)
        let unknownUploader = DocumentOwner(entityType: .patient, entityID: Fixture.p1, uploadedAt: Fixture.hourAgo)
        let othersOldUpload = DocumentOwner(
            entityType: .patient,
            entityID: Fixture.p1,
            uploadedBy: Fixture.otherUser,
            uploadedAt: Fixture.now - 86_400 * 2
        )
        #expect(AccessPolicy.decide(.archive, owner: unknownTime, principal: Fixture.patient, now: Fixture.now) == closed)
        #expect(AccessPolicy.decide(.archive, owner: unknownUploader, principal: Fixture.patient, now: Fixture.now) == no)
        #expect(AccessPolicy.decide(.archive, owner: othersOldUpload, principal: Fixture.patient, now: Fixture.now) == no)
    }

    @Test("another user with the same patient id is judged by their own user id")
    func sameEntityOtherUser() {
        let relative = Principal(userID: Fixture.otherUser, role: .patient, patientID: Fixture.p1)
        Expectation(.p1ByPatient, ok, ok, ok, no, adminOnly, ok).check(relative)
    }

    @Test("provider ids and care teams on a patient principal are ignored")
    func ignoresOtherKindsOfID() {
        let confused = Principal(
            userID: Fixture.patientUser,
            role: .patient,
            patientID: Fixture.p1,
            providerID: Fixture.d1,
            careTeam: [Fixture.p3],
            careProviders: [Fixture.d2],
            appointments: [Fixture.a1]
        )
        for row in Self.table { row.check(confused) }
    }

    @Test("a patient without a patient id or relations sees nothing but providers' profile photos")
    func noPatientID() {
        let orphan = Principal(userID: Fixture.patientUser, role: .patient)
        for owner in Owner.allCases {
            let everyone = owner == .d1Profile || owner == .d2Profile
            Expectation(owner, no, everyone ? ok : no, everyone ? ok : no, no, adminOnly, no).check(orphan)
        }
    }
}
