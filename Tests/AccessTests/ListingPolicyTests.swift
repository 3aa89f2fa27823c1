import Documents
import Foundation
import Testing

@testable import Access

@Suite("Listing policy")
struct ListingPolicyTests {
    static let uuid = Fixture.uuid
    static let patientSees = VisibleEntities(patientIDs: [Fixture.p1], providerIDs: [], uploadedBy: nil)
    static let providerSees = VisibleEntities(patientIDs: [Fixture.p3], providerIDs: [Fixture.d1], uploadedBy: Fixture.providerUser)
    /// What the provider sees after breaking the glass for P2 under `patients/P2/`.
    static let providerSeesWithP2 = VisibleEntities(
        patientIDs: [Fixture.p3, Fixture.p2],
        providerIDs: [Fixture.d1],
        uploadedBy: Fixture.providerUser
    )

    /// Prefixes that name no single entity, including partial ids (`patients/P2` also matches `patients/P20/`).
    static let broad = [
        "", "p", "pat", "patients", "patients/", "patients/P2", "patients/P1", "providers/", "appointments/", "temp", "arch", "archived",
    ]

    static func listing(_ prefix: String, _ principal: Principal, reason: String? = nil) throws -> ListingAccess {
        try AccessPolicy.decideListing(prefix: try KeyLayout.KeyPrefix(parsing: prefix), principal: principal, breakGlassReason: reason)
    }

    static func denial(_ prefix: String, _ principal: Principal, reason: String? = nil) throws -> AccessDenial? {
        let parsed = try KeyLayout.KeyPrefix(parsing: prefix)
        do {
            _ = try AccessPolicy.decideListing(prefix: parsed, principal: principal, breakGlassReason: reason)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "administrators list everything under any prefix",
        arguments: broad + ["patients/P2/", "providers/D2/forms/", "archived/", "archived/patients/P2/", "temp/", "temp/3f2a"]
    )
    func admin(prefix: String) throws {
        #expect(try Self.listing(prefix, Fixture.admin) == ListingAccess(scope: .everything, breakGlass: false))
        #expect(try Self.listing(prefix, Fixture.admin, reason: "x") == ListingAccess(scope: .everything, breakGlass: false))
    }

    @Test("broad prefixes are filtered to what the caller sees, reason or not", arguments: broad)
    func broadPrefixes(prefix: String) throws {
        for reason in [nil, "emergency"] {
            #expect(
                try Self.listing(prefix, Fixture.patient, reason: reason) == ListingAccess(scope: .restricted(Self.patientSees), breakGlass: false)
            )
            #expect(
                try Self.listing(prefix, Fixture.provider, reason: reason) == ListingAccess(scope: .restricted(Self.providerSees), breakGlass: false)
            )
        }
    }

    @Test("a patient may name only their own patient id", arguments: ["patients/P1/", "patients/P1/forms/", "patients/P1/lab-results/\(uuid)"])
    func patientOwn(prefix: String) throws {
        #expect(try Self.listing(prefix, Fixture.patient) == ListingAccess(scope: .restricted(Self.patientSees), breakGlass: false))
    }

    @Test(
        "a patient naming anything else is refused, reason or not",
        arguments: [
            "patients/P2/", "patients/P3/forms/", "patients/P10/", "patients/p1/", "providers/P1/", "providers/D1/", "appointments/A1/",
            "prescriptions/RX1/other/", "archived/", "archived/patients/P1/", "archived/pat", "temp/", "temp/3f2a",
        ]
    )
    func patientOther(prefix: String) throws {
        #expect(try Self.denial(prefix, Fixture.patient) == .notPermitted)
        #expect(try Self.denial(prefix, Fixture.patient, reason: "emergency") == .notPermitted)
    }

    @Test(
        "a provider may name their care team, their folder and appointments or prescriptions (rows still filtered by uploader)",
        arguments: [
            "patients/P3/", "patients/P3/imaging/", "providers/D1/", "providers/D1/billing/\(uuid)", "appointments/A1/", "prescriptions/RX1/",
        ]
    )
    func providerOwn(prefix: String) throws {
        #expect(try Self.listing(prefix, Fixture.provider) == ListingAccess(scope: .restricted(Self.providerSees), breakGlass: false))
        #expect(try Self.listing(prefix, Fixture.provider, reason: "x") == ListingAccess(scope: .restricted(Self.providerSees), breakGlass: false))
    }

    @Test("a provider naming a patient outside the care team needs a reason", arguments: ["patients/P2/", "patients/P2/forms/"])
    func providerBreakGlass(prefix: String) throws {
        for reason in [nil, "", "  ", "\t", "\u{200B}"] {
            #expect(try Self.denial(prefix, Fixture.provider, reason: reason) == .breakGlassRequired)
        }
        #expect(
            try Self.listing(prefix, Fixture.provider, reason: "ER") == ListingAccess(scope: .restricted(Self.providerSeesWithP2), breakGlass: true)
        )
    }

    @Test(
        "a provider naming another provider, archived or temp documents is refused, reason or not",
        arguments: ["providers/D2/", "providers/D2/forms/", "archived/", "archived/patients/P3/", "archived/providers/D1/", "temp/", "temp/3f"]
    )
    func providerOther(prefix: String) throws {
        #expect(try Self.denial(prefix, Fixture.provider) == .notPermitted)
        #expect(try Self.denial(prefix, Fixture.provider, reason: "ER") == .notPermitted)
    }

    @Test(
        "what each caller sees without naming an entity",
        arguments: [
            (Fixture.patient, patientSees),
            (Fixture.provider, providerSees),
            (Principal(userID: "u", role: .patient), VisibleEntities(patientIDs: [], providerIDs: [], uploadedBy: nil)),
            (Principal(userID: "u", role: .patient, patientID: Fixture.p1, providerID: Fixture.d1, careTeam: [Fixture.p2]), patientSees),
            (Principal(userID: "u", role: .provider), VisibleEntities(patientIDs: [], providerIDs: [], uploadedBy: "u")),
            (
                Principal(userID: "u", role: .provider, patientID: Fixture.p1, careTeam: [Fixture.p2, Fixture.p3]),
                VisibleEntities(patientIDs: [Fixture.p2, Fixture.p3], providerIDs: [], uploadedBy: "u")
            ),
        ]
    )
    func visibleEntities(principal: Principal, expected: VisibleEntities) {
        #expect(AccessPolicy.visibleEntities(of: principal) == expected)
    }
}
