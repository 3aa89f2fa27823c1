import Access
import Documents
import Foundation
import Testing

/// Owners built from untrusted keys and prefixes: every trick is either rejected by parsing or decided on the
/// entity the parser found, which is never patient P1's unless the key really is P1's.
@Suite("Key tricks")
struct KeyTrickTests {
    static let uuid = Fixture.uuid

    @Test(
        "tricks that try to reach P2 or escape the layout do not parse as keys",
        arguments: [
            "patients/P1/../P2/forms/\(uuid)-a.pdf",
            "patients/P1/forms/../../P2/forms/\(uuid)-a.pdf",
            "patients/P1/forms/\(uuid)-a.pdf/../../../P2/forms/\(uuid)-a.pdf",
            "../patients/P2/forms/\(uuid)-a.pdf",
            "patients/%2e%2e/P2/forms/\(uuid)-a.pdf",
            "patients/P1/%2e%2e/%2e%2e/P2/forms/\(uuid)-a.pdf",
            "patients/%252e%252e/P2/forms/\(uuid)-a.pdf",
            "patients/P1%2fP2/forms/\(uuid)-a.pdf",
            "patients/P1/forms%2f..%2f..%2fP2/\(uuid)-a.pdf",
            "patients/P1/forms/\(uuid)-..%2fP2.pdf",
            "patients//P2/forms/\(uuid)-a.pdf",
            "patients/P1//forms/\(uuid)-a.pdf",
            "//patients/P2/forms/\(uuid)-a.pdf",
            "/patients/P2/forms/\(uuid)-a.pdf",
            "patients／P2/forms/\(uuid)-a.pdf",
            "patients/P1／..／P2/forms/\(uuid)-a.pdf",
            "patients/．．/P2/forms/\(uuid)-a.pdf",
            "patients/P1/．．/P2/forms/\(uuid)-a.pdf",
            "patients/Ｐ1/forms/\(uuid)-a.pdf",
            "ｐatients/P1/forms/\(uuid)-a.pdf",
            "Patients/P1/forms/\(uuid)-a.pdf",
            #"patients\P2\forms\\#(uuid)-a.pdf"#,
            "patients/P1\u{0}/forms/\(uuid)-a.pdf",
            "patients/P1/forms/\(uuid)-a.pdf\u{0}patients/P2",
            "archived/archived/patients/P2/forms/\(uuid)-a.pdf",
            "archived/../patients/P2/forms/\(uuid)-a.pdf",
            "temp/../patients/P2/forms/\(uuid)-a.pdf",
            "patients/P1",
            "patients/P1/",
            "",
        ]
    )
    func rejectedKeys(raw: String) {
        let error = #expect(throws: KeyLayoutError.self, "\(raw.debugDescription)") { try DocumentKey(parsing: raw) }
        #expect(error?.code == "invalid_key", "\(raw.debugDescription)")
    }

    @Test(
        "tricks in a list prefix do not parse",
        arguments: [
            "patients/P1/../P2/", "patients/../", "../", "patients/P1/..", "%2e%2e/", "patients/%2e%2e/", "patients/P1%2f..%2fP2/",
            "patients//", "patients//P2/", "/patients/P2/", "patients／P2/", "patients／", "patients/．．/", "patients/P1／P2/",
            "patients/Ｐ2/", "ｐatients/", #"patients\P2\"#, "patients/P2\u{0}/", "archived/archived/patients/P2/", "archived/../",
        ]
    )
    func rejectedPrefixes(raw: String) {
        let error = #expect(throws: KeyLayoutError.self, "\(raw.debugDescription)") { try KeyLayout.KeyPrefix(parsing: raw) }
        #expect(error?.code == "invalid_prefix", "\(raw.debugDescription)")
    }

    @Test(
        "a valid key is decided on the entity it parses to",
        arguments: [
            // (key, patient P1 reads, provider D1 reads)
            ("patients/P1/forms/\(uuid)-a.pdf", ok, needsGlass),
            ("patients/P2/forms/\(uuid)-a.pdf", no, needsGlass),
            ("patients/P2/forms/\(uuid)-patients P1 consent.pdf", no, needsGlass),
            ("patients/P2/forms/\(uuid)-P1.pdf", no, needsGlass),
            ("patients/P10/forms/\(uuid)-a.pdf", no, needsGlass),
            ("patients/p1/forms/\(uuid)-a.pdf", no, needsGlass),
            ("patients/P1-/forms/\(uuid)-a.pdf", no, needsGlass),
            ("patients/P1_P2/forms/\(uuid)-a.pdf", no, needsGlass),
            ("patients/P3/imaging/\(uuid)-a.png", no, ok),
            ("providers/P1/forms/\(uuid)-a.pdf", no, no),
            ("providers/D1/forms/\(uuid)-a.pdf", no, ok),
            ("providers/D2/forms/\(uuid)-a.pdf", no, no),
            ("appointments/P1/forms/\(uuid)-a.pdf", no, no),
            ("prescriptions/P1/prescriptions/\(uuid)-a.pdf", no, no),
            ("archived/patients/P1/forms/\(uuid)-a.pdf", no, no),
            ("archived/patients/P3/forms/\(uuid)-a.pdf", no, no),
            ("temp/\(uuid)-a.pdf", no, no),
            ("archived/temp/\(uuid)-a.pdf", no, no),
        ]
    )
    func decidedOnParsedEntity(raw: String, patient: AccessDecision, provider: AccessDecision) throws {
        let owner = try Fixture.owner(ofKey: raw)
        #expect(AccessPolicy.decide(.read, owner: owner, principal: Fixture.patient, now: Fixture.now) == patient)
        #expect(AccessPolicy.decide(.read, owner: owner, principal: Fixture.provider, now: Fixture.now) == provider)
        #expect(AccessPolicy.decide(.read, owner: owner, principal: Fixture.admin, now: Fixture.now) == ok)
    }

    @Test(
        "a key implies its entity and folder, marks archived keys retired, and gives temp keys no owner",
        arguments: [
            ("patients/P2/forms/\(uuid)-a.pdf", DocumentOwner(entityType: .patient, entityID: Fixture.p2, folder: "forms")),
            ("providers/D1/billing/\(uuid)-a.pdf", DocumentOwner(entityType: .provider, entityID: Fixture.d1, folder: "billing")),
            ("appointments/A1/other/\(uuid)-a.pdf", DocumentOwner(entityType: .appointment, entityID: Fixture.a1, folder: "other")),
            (
                "archived/patients/P1/forms/\(uuid)-a.pdf",
                DocumentOwner(entityType: .patient, entityID: Fixture.p1, isRetired: true, folder: "forms")
            ),
            (
                "archived/prescriptions/RX1/prescriptions/\(uuid)-a.pdf",
                DocumentOwner(entityType: .prescription, entityID: Fixture.rx1, isRetired: true, folder: "prescriptions")
            ),
            ("temp/\(uuid)-a.pdf", nil),
            ("archived/temp/\(uuid)-a.pdf", nil),
        ]
    )
    func ownerOfKey(raw: String, expected: DocumentOwner?) throws {
        // A key carries neither uploader nor time, so a patient can never archive on the strength of a key alone.
        #expect(try Fixture.owner(ofKey: raw) == expected)
    }

    @Test("a patient cannot archive their own document named only by its key")
    func archiveByKey() throws {
        let owner = try Fixture.owner(ofKey: "patients/P1/forms/\(Self.uuid)-a.pdf")
        #expect(AccessPolicy.decide(.archive, owner: owner, principal: Fixture.patient, now: Fixture.now) == no)
        #expect(AccessPolicy.decide(.read, owner: owner, principal: Fixture.patient, now: Fixture.now) == ok)
    }

    @Test(
        "valid prefixes are decided on the entity they name",
        arguments: [
            ("patients/P2/", AccessDenial.notPermitted, AccessDenial.breakGlassRequired),
            ("patients/P10/", .notPermitted, .breakGlassRequired),
            ("patients/p1/", .notPermitted, .breakGlassRequired),
            ("patients/P1-/forms/", .notPermitted, .breakGlassRequired),
            ("providers/P1/", .notPermitted, .notPermitted),
            ("archived/patients/P1/", .notPermitted, .notPermitted),
            ("temp/", .notPermitted, .notPermitted),
        ]
    )
    func prefixesDecidedOnEntity(raw: String, patient: AccessDenial, provider: AccessDenial) throws {
        let prefix = try KeyLayout.KeyPrefix(parsing: raw)
        #expect(throws: patient) { try AccessPolicy.decideListing(prefix: prefix, principal: Fixture.patient) }
        #expect(throws: provider) { try AccessPolicy.decideListing(prefix: prefix, principal: Fixture.provider) }
    }
}
