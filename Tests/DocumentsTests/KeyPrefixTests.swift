import Testing

@testable import Documents

@Suite struct KeyPrefixTests {
    static let uuid = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"

    @Test(arguments: [
        "", "p", "patients", "patients/", "patients/P", "patients/P1/", "patients/P1/fo", "patients/P1/forms/",
        "patients/P1/forms/3f2a", "patients/P1/forms/\(uuid)", "patients/P1/forms/\(uuid)-", "patients/P1/forms/\(uuid)-cons",
        "patients/P1/forms/\(uuid)-consent form.pdf", "temp", "temp/", "temp/3f", "arch", "archived/", "archived/pat",
        "archived/patients/P1/", "archived/temp/\(uuid)-x", "providers/D-9/billing/", "prescriptions/RX1/other/",
    ])
    func acceptsPrefixesOfValidKeys(raw: String) throws {
        #expect(try KeyLayout.KeyPrefix(parsing: raw).rawValue == raw)
    }

    @Test(arguments: [
        ("/patients/", KeyLayoutError.Rule.absolute),
        ("patients//", .emptySegment),
        ("patients/../", .dotDotSegment),
        ("patients/P1/..", .dotDotSegment),
        ("patients/./", .dotSegment),
        ("x", .foreignPrefix),
        ("etc/", .foreignPrefix),
        ("patients/P1/unknown/", .unknownFolder),
        ("patients/P1/x", .unknownFolder),
        ("patients/P.1/", .badEntityID),
        ("patients/P.", .badEntityID),
        ("patients/．．/", .badEntityID),
        ("patients/P1/forms/XYZ", .badUUID),
        ("patients/P1/forms/3F2A", .badUUID),
        ("patients/P1/forms/\(uuid)x", .badUUID),
        ("patients/P1/forms/\(uuid)-.h", .badObjectName(.leadingDot)),
        ("patients/P1/forms/\(uuid)-a:b", .badObjectName(.forbiddenCharacter)),
        ("patients/P1/forms/\(uuid)-a.pdf/", .wrongShape),
        ("temp/\(uuid)-a/", .wrongShape),
        ("%2e%2e/", .percent),
        (#"patients\"#, .backslash),
        ("patients/P1\u{0}", .controlCharacter),
        ("archived/archived/", .nestedArchive),
        ("archived/arch", .nestedArchive),
        ("temp/" + String(repeating: "a", count: 1020), .tooLong),
    ])
    func rejectsEverythingElse(raw: String, rule: KeyLayoutError.Rule) {
        let error = #expect(throws: KeyLayoutError.self, "\(raw.debugDescription)") { try KeyLayout.KeyPrefix(parsing: raw) }
        #expect(error?.rule == rule, "\(raw.debugDescription)")
        #expect(error?.code == "invalid_prefix")
    }

    @Test func matchesKeysByBytes() throws {
        let key = try DocumentKey(parsing: "patients/P1/forms/\(Self.uuid)-a.pdf")
        #expect(try KeyLayout.KeyPrefix(parsing: "patients/P1/").contains(key))
        #expect(KeyLayout.KeyPrefix.all.contains(key))
        #expect(try !KeyLayout.KeyPrefix(parsing: "patients/P10/").contains(key))
        #expect(try !KeyLayout.KeyPrefix(parsing: "archived/").contains(key))
    }

    @Test func redactsItsDescription() throws {
        #expect(!"\(try KeyLayout.KeyPrefix(parsing: "patients/JaneDoe/"))".contains("Jane"))
    }
}

@Suite("KeyPrefix reach")
struct KeyPrefixReachTests {
    @Test(
        "complete entity segments narrow the reach; partial ones do not",
        arguments: [
            ("", KeyLayout.KeyPrefix.Reach.broad),
            ("pat", .broad),
            ("patients/", .broad),
            ("patients/P1", .broad),
            ("patients/P1/", .entity(.patient, try! EntityID(validating: "P1"))),
            ("patients/P1/lab-results/", .entity(.patient, try! EntityID(validating: "P1"))),
            ("providers/D-7/forms", .entity(.provider, try! EntityID(validating: "D-7"))),
            ("archived/", .archived),
            ("archived/patients/P1/", .archived),
            ("temp/", .temp),
            ("temp", .broad),
            ("temp/3f2a", .temp),
            ("arch", .broad),
            ("archived", .broad),
            ("archived/pat", .archived),
            ("archived/providers/D-7/", .archived),
            ("providers/", .broad),
            ("appointments/A1/", .entity(.appointment, try! EntityID(validating: "A1"))),
            ("prescriptions/RX1/other/", .entity(.prescription, try! EntityID(validating: "RX1"))),
            ("patients/P1/forms/3f2a", .entity(.patient, try! EntityID(validating: "P1"))),
        ]
    )
    func reach(prefix: String, expected: KeyLayout.KeyPrefix.Reach) throws {
        #expect(try KeyLayout.KeyPrefix(parsing: prefix).reach == expected)
    }
}
