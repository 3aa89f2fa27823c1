import Foundation
import Testing

@testable import Documents

@Suite struct DocumentKeyRejectionTests {
    static let uuid = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
    static let valid = "patients/P1/forms/\(uuid)-a.pdf"

    static let cases: [(String, String, KeyLayoutError.Rule)] = [
        ("empty", "", .empty),
        ("absolute", "/\(valid)", .absolute),
        ("double slash", "patients//P1/forms/\(uuid)-a.pdf", .emptySegment),
        ("trailing slash", "\(valid)/", .emptySegment),
        ("dot-dot segment", "patients/P1/forms/../\(uuid)-a.pdf", .dotDotSegment),
        ("dot-dot climbing out", "patients/../../etc/passwd", .dotDotSegment),
        ("dot segment", "patients/./P1/forms/\(uuid)-a.pdf", .dotSegment),
        ("leading dot-dot", "../\(valid)", .dotDotSegment),
        ("percent-encoded dots", "patients/%2e%2e/forms/\(uuid)-a.pdf", .percent),
        ("double encoding", "patients/%252e%252e/forms/\(uuid)-a.pdf", .percent),
        ("percent in the name", "patients/P1/forms/\(uuid)-100%.pdf", .percent),
        ("backslash", #"patients\P1\forms\\#(uuid)-a.pdf"#, .backslash),
        ("backslash dot-dot", #"patients/P1/forms/..\\#(uuid)-a.pdf"#, .backslash),
        ("NUL", "patients/P1/forms/\(uuid)-a.pdf\u{0}.png", .controlCharacter),
        ("newline", "patients/P1/forms/\(uuid)-a\n.pdf", .controlCharacter),
        ("DEL", "patients/P1/forms/\(uuid)-a\u{7F}.pdf", .controlCharacter),
        ("C1 control", "patients/P1/forms/\(uuid)-a\u{85}.pdf", .controlCharacter),
        ("foreign prefix", "etc/passwd", .foreignPrefix),
        ("foreign prefix like a root", "patient/P1/forms/\(uuid)-a.pdf", .foreignPrefix),
        ("upper-case root", "Patients/P1/forms/\(uuid)-a.pdf", .foreignPrefix),
        ("unknown folder", "patients/P1/secrets/\(uuid)-a.pdf", .unknownFolder),
        ("category instead of folder", "patients/P1/consent-forms/\(uuid)-a.pdf", .unknownFolder),
        ("entity id with a dot", "patients/P.1/forms/\(uuid)-a.pdf", .badEntityID),
        ("full-width dots as entity id", "patients/．．/forms/\(uuid)-a.pdf", .badEntityID),
        ("full-width slash in entity id", "patients/P1／x/forms/\(uuid)-a.pdf", .badEntityID),
        ("entity id too long", "patients/\(String(repeating: "x", count: 65))/forms/\(uuid)-a.pdf", .badEntityID),
        ("no uuid", "patients/P1/forms/a.pdf", .badUUID),
        ("upper-case uuid", "patients/P1/forms/\(uuid.uppercased())-a.pdf", .badUUID),
        ("uuid without dash", "patients/P1/forms/\(uuid)a.pdf", .badUUID),
        ("uuid without hyphens", "patients/P1/forms/\(uuid.replacingOccurrences(of: "-", with: ""))-a.pdf", .badUUID),
        ("uuid only", "temp/\(uuid)", .badUUID),
        ("empty name", "temp/\(uuid)-", .badObjectName(.empty)),
        ("hidden name", "temp/\(uuid)-.htaccess", .badObjectName(.leadingDot)),
        ("colon in name", "temp/\(uuid)-a:b.pdf", .badObjectName(.forbiddenCharacter)),
        ("bidi override in name", "temp/\(uuid)-a\u{202E}fdp.exe", .badObjectName(.forbiddenCharacter)),
        ("full-width slash in name", "temp/\(uuid)-a／b.pdf", .badObjectName(.forbiddenCharacter)),
        ("double space in name", "temp/\(uuid)-a  b.pdf", .badObjectName(.irregularWhitespace)),
        ("name over 150 bytes", "temp/\(uuid)-\(String(repeating: "a", count: 147)).pdf", .badObjectName(.tooLong)),
        ("decomposed name", "temp/\(uuid)-Cafe\u{301}.pdf", .notNormalized),
        ("too few segments", "patients/P1/\(uuid)-a.pdf", .wrongShape),
        ("too many segments", "patients/P1/forms/x/\(uuid)-a.pdf", .wrongShape),
        ("temp with a folder", "temp/x/\(uuid)-a.pdf", .wrongShape),
        ("archived alone", "archived", .wrongShape),
        ("archived twice", "archived/archived/\(valid)", .nestedArchive),
        ("archived foreign", "archived/etc/passwd", .foreignPrefix),
        ("over 1024 bytes", "temp/" + String(repeating: "a", count: 1020), .tooLong),
    ]

    @Test(arguments: cases)
    func rejects(label: String, raw: String, rule: KeyLayoutError.Rule) {
        let error = #expect(throws: KeyLayoutError.self, "\(label)") { try DocumentKey(parsing: raw) }
        #expect(error?.rule == rule, "\(label)")
        #expect(error?.code == "invalid_key")
    }

    @Test func explainsTheRuleWithoutEchoingTheKey() throws {
        let error = try #require(throws: KeyLayoutError.self) { try DocumentKey(parsing: "patients/JaneDoe/forms/../\(Self.uuid)-HIV.pdf") }
        #expect(error.message == "key contains a '..' segment")
        #expect(!error.message.contains("JaneDoe"))
        #expect(!error.description.contains("HIV"))
    }

    @Test func splitsOnSlashBytesNotCharacters() {
        // "/" followed by a combining mark is one Swift Character, but still a delimiter for S3.
        #expect(throws: KeyLayoutError.self) { try DocumentKey(parsing: "patients/P1/forms/\u{301}\(Self.uuid)-a.pdf") }
        let error = #expect(throws: KeyLayoutError.self) { try DocumentKey(parsing: "/\u{301}patients/P1/forms/\(Self.uuid)-a.pdf") }
        #expect(error?.rule == .absolute)
    }
}
