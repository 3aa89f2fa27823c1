import Access
import Documents
import Foundation
import Testing

@Suite("Provider policy")
struct ProviderPolicyTests {
    /// Provider D1 with care team {P3}, holding A1, no break-glass reason. The media folders add: every provider's
    /// profile is readable; P1's verification photo is refused outright (not `break_glass_required`); A2's chat is
    /// refused although D1 cares for its patient and uploaded there.
    static let table: [Expectation] = [
        Expectation(.p1ByPatient, no, needsGlass, needsGlass, no, adminOnly, no),
        Expectation(.p1ByProvider, no, needsGlass, needsGlass, no, adminOnly, no),
        Expectation(.p2ByPatient, no, needsGlass, needsGlass, no, adminOnly, no),
        Expectation(.p3ByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d1, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d2, no, no, no, no, adminOnly, no),
        Expectation(.appointmentByPatient, ok, no, no, no, adminOnly, no),
        Expectation(.appointmentByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.appointmentByOther, ok, no, no, no, adminOnly, no),
        Expectation(.appointmentFromKey, ok, no, no, no, adminOnly, no),
        Expectation(.prescriptionByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.prescriptionByOther, ok, no, no, no, adminOnly, no),
        Expectation(.retiredP1, no, no, no, no, adminOnly, no),
        Expectation(.retiredP3, no, no, no, no, adminOnly, no),
        Expectation(.retiredD1, no, no, no, no, adminOnly, no),
        Expectation(.temp, no, no, no, no, adminOnly, no),
        Expectation(.d1TherapyMedia, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d2TherapyMedia, no, no, no, no, adminOnly, no),
        Expectation(.d1Profile, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d2Profile, no, ok, ok, no, adminOnly, no),
        Expectation(.p1Profile, no, needsGlass, needsGlass, no, adminOnly, no),
        Expectation(.p1Verification, no, no, no, no, adminOnly, no),
        Expectation(.p3Verification, ok, ok, ok, ok, adminOnly, no),
        Expectation(.a1ChatByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.a1ChatByPatient, ok, ok, ok, no, adminOnly, no),
        Expectation(.a2ChatByProvider, no, no, no, no, adminOnly, no),
        Expectation(.retiredA1Chat, no, no, no, no, adminOnly, no),
    ]

    /// The same provider declaring an emergency: only reading and listing patients outside the care team change, and
    /// a verification photo stays closed.
    static let breakGlassTable: [Expectation] = [
        Expectation(.p1ByPatient, no, glass, glass, no, adminOnly, no),
        Expectation(.p1ByProvider, no, glass, glass, no, adminOnly, no),
        Expectation(.p2ByPatient, no, glass, glass, no, adminOnly, no),
        Expectation(.p3ByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d1, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d2, no, no, no, no, adminOnly, no),
        Expectation(.appointmentByPatient, ok, no, no, no, adminOnly, no),
        Expectation(.appointmentByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.appointmentByOther, ok, no, no, no, adminOnly, no),
        Expectation(.appointmentFromKey, ok, no, no, no, adminOnly, no),
        Expectation(.prescriptionByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.prescriptionByOther, ok, no, no, no, adminOnly, no),
        Expectation(.retiredP1, no, no, no, no, adminOnly, no),
        Expectation(.retiredP3, no, no, no, no, adminOnly, no),
        Expectation(.retiredD1, no, no, no, no, adminOnly, no),
        Expectation(.temp, no, no, no, no, adminOnly, no),
        Expectation(.d1TherapyMedia, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d2TherapyMedia, no, no, no, no, adminOnly, no),
        Expectation(.d1Profile, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d2Profile, no, ok, ok, no, adminOnly, no),
        Expectation(.p1Profile, no, glass, glass, no, adminOnly, no),
        Expectation(.p1Verification, no, no, no, no, adminOnly, no),
        Expectation(.p3Verification, ok, ok, ok, ok, adminOnly, no),
        Expectation(.a1ChatByProvider, ok, ok, ok, ok, adminOnly, no),
        Expectation(.a1ChatByPatient, ok, ok, ok, no, adminOnly, no),
        Expectation(.a2ChatByProvider, no, no, no, no, adminOnly, no),
        Expectation(.retiredA1Chat, no, no, no, no, adminOnly, no),
    ]

    @Test func tablesCoverEveryOwner() {
        #expect(Self.table.map(\.owner) == Owner.allCases)
        #expect(Self.breakGlassTable.map(\.owner) == Owner.allCases)
    }

    @Test("every action on every owner", arguments: table)
    func decides(_ row: Expectation) {
        row.check(Fixture.provider)
    }

    @Test("every action on every owner, with a break-glass reason", arguments: breakGlassTable)
    func decidesWithReason(_ row: Expectation) {
        row.check(Fixture.provider, reason: "Patient unconscious in the ER")
    }

    @Test("blank reasons count as none", arguments: table)
    func blankReasons(_ row: Expectation) {
        for reason in ["", " ", "\t\n", "\r\n  ", "\u{00A0}", "\u{3000}", "\u{2028}", "\u{200B}", "\u{FEFF}", " \u{200B}\u{3164} "] {
            row.check(Fixture.provider, reason: reason)
        }
    }

    @Test(
        "any visible reason breaks the glass for reading and listing",
        arguments: ["x", " ER ", "緊急", "\u{200B}cardiac arrest", "0"]
    )
    func visibleReasons(reason: String) {
        for action in [DocumentAction.read, .list] {
            let decision = AccessPolicy.decide(
                action,
                owner: Owner.p2ByPatient.value,
                principal: Fixture.provider,
                breakGlassReason: reason,
                now: Fixture.now
            )
            #expect(decision == glass, "\(action)")
        }
    }

    @Test("a provider with no care team needs break-glass even for P3; without a provider id has no folder")
    func emptyRelations() {
        let bare = Principal(userID: Fixture.providerUser, role: .provider)
        #expect(AccessPolicy.decide(.read, owner: Owner.p3ByProvider.value, principal: bare, now: Fixture.now) == needsGlass)
        #expect(AccessPolicy.decide(.upload, owner: Owner.p3ByProvider.value, principal: bare, now: Fixture.now) == no)
        for action in Fixture.allActions where action != .permanentDelete {
            #expect(AccessPolicy.decide(action, owner: Owner.d1.value, principal: bare, now: Fixture.now) == no, "\(action)")
        }
    }

    @Test("a patient id or care providers on a provider principal grant nothing for that patient or those providers")
    func ignoresPatientID() {
        let confused = Principal(
            userID: Fixture.providerUser,
            role: .provider,
            patientID: Fixture.p1,
            providerID: Fixture.d1,
            careTeam: [Fixture.p3],
            careProviders: [Fixture.d2],
            appointments: [Fixture.a1]
        )
        for row in Self.table { row.check(confused) }
    }

    @Test("archiving in the care team does not depend on time or uploader")
    func archiveAnyAge() {
        let old = DocumentOwner(entityType: .patient, entityID: Fixture.p3, uploadedBy: Fixture.otherUser, uploadedAt: Fixture.now - 365 * 86_400)
        #expect(AccessPolicy.decide(.archive, owner: old, principal: Fixture.provider, now: Fixture.now) == ok)
    }
}
