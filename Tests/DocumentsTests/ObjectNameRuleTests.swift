import Documents
import Testing

@Suite struct ObjectNameRuleTests {
    @Test(arguments: ["a", "report.pdf", "Befund Müller 2024.pdf", "x.tar.gz", "中文.txt", "👩‍⚕️.png", String(repeating: "a", count: 150)])
    func acceptsValidNames(name: String) {
        #expect(ObjectNameRule.violation(of: name) == nil)
    }

    @Test(arguments: [
        ("", ObjectNameRule.Violation.empty),
        (String(repeating: "a", count: 151), .tooLong),
        (String(repeating: "é", count: 76), .tooLong),
        ("a/b", .forbiddenCharacter),
        ("a?b", .forbiddenCharacter),
        ("a\tb", .forbiddenCharacter),
        ("a\u{200B}b", .forbiddenCharacter),
        ("a\u{FF05}b", .forbiddenCharacter),
        (" a", .irregularWhitespace),
        ("a ", .irregularWhitespace),
        ("a  b", .irregularWhitespace),
        ("a\u{A0}b", .irregularWhitespace),
        (".a", .leadingDot),
        ("a.", .trailingDot),
        ("e\u{301}", .notNormalized),
    ])
    func rejectsInvalidNames(name: String, violation: ObjectNameRule.Violation) {
        #expect(ObjectNameRule.violation(of: name) == violation)
    }
}
