import Documents
import Foundation
import Testing

@testable import Access

/// The media folders' cells for callers with no relation to them, listings of those folders, and who may make an
/// appointment known. The patient's and provider's own tables (PatientPolicyTests, ProviderPolicyTests) carry
/// the media owners too.
@Suite("Media policy")
struct MediaPolicyTests {
    /// Patient P2: on nobody's care team, in no appointment.
    static let otherPatient = Principal(userID: "u-p2", role: .patient, patientID: Fixture.p2)
    /// Provider D2: caring for P1, holding A2.
    static let otherProvider = Principal(
        userID: Fixture.otherUser,
        role: .provider,
        providerID: Fixture.d2,
        careTeam: [Fixture.p1],
        appointments: [Fixture.a2]
    )

    static let mediaOwners: [Owner] = [
        .d1TherapyMedia, .d2TherapyMedia, .d1Profile, .d2Profile, .p1Profile, .p1Verification, .p3Verification, .a1ChatByProvider,
        .a1ChatByPatient, .a2ChatByProvider, .retiredA1Chat,
    ]

    /// P2 sees every provider's profile photo and nothing else of the media folders.
    static let otherPatientTable: [Expectation] = [
        Expectation(.d1TherapyMedia, no, no, no, no, adminOnly, no),
        Expectation(.d2TherapyMedia, no, no, no, no, adminOnly, no),
        Expectation(.d1Profile, no, ok, ok, no, adminOnly, no),
        Expectation(.d2Profile, no, ok, ok, no, adminOnly, no),
        Expectation(.p1Profile, no, no, no, no, adminOnly, no),
        Expectation(.p1Verification, no, no, no, no, adminOnly, no),
        Expectation(.p3Verification, no, no, no, no, adminOnly, no),
        Expectation(.a1ChatByProvider, no, no, no, no, adminOnly, no),
        Expectation(.a1ChatByPatient, no, no, no, no, adminOnly, no),
        Expectation(.a2ChatByProvider, no, no, no, no, adminOnly, no),
        Expectation(.retiredA1Chat, no, no, no, no, adminOnly, no),
    ]

    /// D2 has its own library and profile, P1's profile and verification photo (care team), A2's chat (a participant;
    /// archiving stays with the uploader, D1 here), and everyone's profile; not A1's chat, nor P3's verification
    /// photo even with a break-glass reason.
    static let otherProviderTable: [Expectation] = [
        Expectation(.d1TherapyMedia, no, no, no, no, adminOnly, no),
        Expectation(.d2TherapyMedia, ok, ok, ok, ok, adminOnly, no),
        Expectation(.d1Profile, no, ok, ok, no, adminOnly, no),
        Expectation(.d2Profile, ok, ok, ok, ok, adminOnly, no),
        Expectation(.p1Profile, ok, ok, ok, ok, adminOnly, no),
        Expectation(.p1Verification, ok, ok, ok, ok, adminOnly, no),
        Expectation(.p3Verification, no, no, no, no, adminOnly, no),
        Expectation(.a1ChatByProvider, no, no, no, no, adminOnly, no),
        Expectation(.a1ChatByPatient, no, no, no, no, adminOnly, no),
        Expectation(.a2ChatByProvider, ok, ok, ok, no, adminOnly, no),
        Expectation(.retiredA1Chat, no, no, no, no, adminOnly, no),
    ]

    @Test func tablesCoverEveryMediaOwner() {
        #expect(Self.otherPatientTable.map(\.owner) == Self.mediaOwners)
        #expect(Self.otherProviderTable.map(\.owner) == Self.mediaOwners)
    }

    @Test("every action on every media owner, for a patient with no relation to them", arguments: otherPatientTable)
    func otherPatientDecides(_ row: Expectation) {
        row.check(Self.otherPatient)
        row.check(Self.otherPatient, reason: "emergency")
    }

    @Test("every action on every media owner, for another provider, with or without a break-glass reason", arguments: otherProviderTable)
    func otherProviderDecides(_ row: Expectation) {
        row.check(Self.otherProvider)
        row.check(Self.otherProvider, reason: "Patient unconscious in the ER")
    }

    @Test("the owner of a key carries its folder, archived or not")
    func ownerFolderFromKey() throws {
        let chat = try Fixture.owner(ofKey: "appointments/A1/chat/\(Fixture.uuid)-x.jpg")
        #expect(chat?.folder == "chat")
        #expect(try Fixture.owner(ofKey: "archived/providers/D1/therapy-media/\(Fixture.uuid)-x.mp4")?.folder == "therapy-media")
        #expect(AccessPolicy.decide(.read, owner: chat, principal: Fixture.patient, now: Fixture.now) == ok)
        #expect(AccessPolicy.decide(.read, owner: chat, principal: Self.otherProvider, now: Fixture.now) == no)
    }

    // MARK: listings of media folders

    static func listing(_ prefix: String, _ principal: Principal, reason: String? = nil) throws -> ListingAccess {
        try AccessPolicy.decideListing(prefix: try KeyLayout.KeyPrefix(parsing: prefix), principal: principal, breakGlassReason: reason)
    }

    static func denial(_ prefix: String, _ principal: Principal, reason: String? = nil) throws -> AccessDenial? {
        do {
            _ = try listing(prefix, principal, reason: reason)
            return nil
        } catch {
            return error as? AccessDenial
        }
    }

    @Test("a media folder another's rules open is listed with that one entity added, the prefix keeping it to the folder")
    func openedFolders() throws {
        var patientSees = VisibleEntities(patientIDs: [Fixture.p1], providerIDs: [], uploadedBy: nil)
        patientSees.providerIDs = [Fixture.d2]
        #expect(try Self.listing("providers/D2/therapy-media/", Fixture.patient) == ListingAccess(scope: .restricted(patientSees), breakGlass: false))
        patientSees.providerIDs = [Fixture.d1]
        #expect(try Self.listing("providers/D1/profile/", Fixture.patient) == ListingAccess(scope: .restricted(patientSees), breakGlass: false))
        patientSees.providerIDs = []
        patientSees.appointmentIDs = [Fixture.a1]
        #expect(try Self.listing("appointments/A1/chat/", Fixture.patient) == ListingAccess(scope: .restricted(patientSees), breakGlass: false))
        var providerSees = VisibleEntities(patientIDs: [Fixture.p3], providerIDs: [Fixture.d1], uploadedBy: Fixture.providerUser)
        providerSees.appointmentIDs = [Fixture.a1]
        let chatPage = "appointments/A1/chat/\(Fixture.uuid)"
        #expect(try Self.listing(chatPage, Fixture.provider) == ListingAccess(scope: .restricted(providerSees), breakGlass: false))
    }

    @Test(
        "a media folder the caller may not see is refused, not answered empty",
        arguments: [
            ("providers/D1/therapy-media/", Fixture.patient), ("providers/D2/therapy-media/", otherPatient),
            ("providers/D1/therapy-media/", otherProvider), ("appointments/A2/chat/", Fixture.patient), ("appointments/A2/chat/", Fixture.provider),
            ("appointments/A1/chat/", otherProvider), ("appointments/A1/chat/", otherPatient), ("patients/P3/verification/", otherProvider),
            ("patients/P1/verification/", Fixture.provider),
        ]
    )
    func closedFolders(prefix: String, principal: Principal) throws {
        #expect(try Self.denial(prefix, principal) == .notPermitted)
        #expect(try Self.denial(prefix, principal, reason: "emergency") == .notPermitted)
    }

    @Test("a prefix that stops before the folder is judged by the entity's rules, without the media cells")
    func partialFolders() throws {
        #expect(try Self.denial("providers/D2/", Fixture.patient) == .notPermitted)
        #expect(try Self.denial("providers/D2/therapy-media", Fixture.patient) == .notPermitted)
        #expect(try Self.denial("appointments/A1/", Fixture.patient) == .notPermitted)
        #expect(try KeyLayout.KeyPrefix(parsing: "appointments/A1/chat").folder == nil)
        #expect(try KeyLayout.KeyPrefix(parsing: "appointments/A1/chat/").folder == "chat")
        #expect(try KeyLayout.KeyPrefix(parsing: "archived/appointments/A1/chat/").folder == nil)
    }

    // MARK: appointments

    @Test(
        "administrators and the provider who holds it may make an appointment known; nobody else",
        arguments: [
            (Fixture.admin, ok), (Fixture.provider, ok), (otherProvider, no), (Fixture.patient, no),
            (Principal(userID: "u", role: .provider), no),
        ]
    )
    func appointmentCreation(principal: Principal, expected: AccessDecision) {
        #expect(AccessPolicy.decideAppointment(providerID: Fixture.d1, principal: principal) == expected)
    }
}
