import Documents
import Foundation
import Testing

@testable import Server

/// The patterns Public/openapi.yaml gives keys, list prefixes and e-mail addresses accept exactly what the server's
/// parsers accept, on many strings: valid ones, every prefix of them, and single-character edits of both.
///
/// Known and documented differences are left out: a file name's limit is in UTF-8 bytes (the pattern counts
/// characters, which only agree in ASCII) and keys must be in Unicode NFC (no pattern can say so).
@Suite struct OpenAPIPatternTests {
    static let document = (try? String(contentsOf: AuthHarness.repository.appendingPathComponent("Public/openapi.yaml"), encoding: .utf8)) ?? ""

    /// The `pattern` of the component schema `name`, from the document's text.
    static func pattern(of name: String) throws -> NSRegularExpression {
        let lines = document.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex(of: "    \(name):"), "schema \(name)")
        let line = try #require(lines[start...].first { $0.hasPrefix("      pattern: '") }, "pattern of \(name)")
        let quoted = line.dropFirst("      pattern: '".count).dropLast()
        return try NSRegularExpression(pattern: quoted.replacingOccurrences(of: "''", with: "'"))
    }

    /// Whether `regex` matches all of `text`, as a JSON Schema pattern anchored with `^…$` does in ECMA-262 (whose
    /// `$` is the end of input; ICU's also matches before a final line break).
    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        let whole = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, range: whole).map { $0.range == whole } ?? false
    }

    static let keys = [
        "patients/P-1001/lab-results/0f8fad5b-d9cb-469f-a165-70867728950e-cbc.pdf",
        "providers/dr_1/other/0f8fad5b-d9cb-469f-a165-70867728950e-a b.c",
        "appointments/A1/forms/0f8fad5b-d9cb-469f-a165-70867728950e-x",
        "prescriptions/R-9/prescriptions/0f8fad5b-d9cb-469f-a165-70867728950e-résumé (2).pdf",
        "archived/patients/P1/billing/0f8fad5b-d9cb-469f-a165-70867728950e-Invoice_1.pdf",
        "temp/0f8fad5b-d9cb-469f-a165-70867728950e-selftest.txt",
        "archived/temp/0f8fad5b-d9cb-469f-a165-70867728950e-probe.txt",
        "patients/P1/imaging/0f8fad5b-d9cb-469f-a165-70867728950e-" + String(repeating: "n", count: 150),
    ]

    /// Characters that matter to the rules: separators, dots, spaces, forbidden and invisible characters.
    static let alphabet: [String] = [
        "a", "Z", "0", "f", "-", "_", ".", " ", "  ", "/", "//", "%", "\\", ":", "?", "#", "\"", "<", "*", "|", "\t", "\n",
        "\u{7F}", "\u{85}", "\u{A0}", "\u{AD}", "é", "\u{200B}", "\u{200D}", "\u{2028}", "\u{202E}", "\u{2215}", "\u{3000}",
        "\u{FEFF}", "\u{FF0F}", "😀", "archived/", "temp/", "patients/",
    ]

    /// `text` with one character replaced, deleted, or with one of ``alphabet`` inserted, at every `stride`th position
    /// and at the end.
    static func edits(of text: String, stride: Int = 1) -> [String] {
        let characters = Array(text)
        var results: [String] = []
        for index in Array(Swift.stride(from: 0, to: characters.count, by: stride)) + [characters.count] {
            for insertion in alphabet {
                results.append(String(characters[..<index]) + insertion + String(characters[index...]))
                if index < characters.count {
                    results.append(String(characters[..<index]) + insertion + String(characters[(index + 1)...]))
                }
            }
            if index < characters.count { results.append(String(characters[..<index]) + String(characters[(index + 1)...])) }
        }
        return results
    }

    /// Whether the documented differences apply: not NFC, or a non-ASCII name whose byte and character counts differ.
    static func outsidePatterns(_ text: String) -> Bool {
        text.precomposedStringWithCanonicalMapping != text || !text.unicodeScalars.allSatisfy(\.isASCII) && text.utf8.count > 150
    }

    @Test func documentKeysAreWhatTheKeyParserAccepts() throws {
        let regex = try Self.pattern(of: "DocumentKey")
        var checked = 0
        for candidate in Set(Self.keys + Self.keys.flatMap { Self.edits(of: $0, stride: 3) }) where !Self.outsidePatterns(candidate) {
            let parsed = (try? DocumentKey(parsing: candidate)) != nil
            #expect(Self.matches(regex, candidate) == parsed, "\(candidate.debugDescription): parser \(parsed)")
            checked += 1
        }
        #expect(checked > 5_000)
    }

    @Test func listPrefixesAreWhatThePrefixParserAccepts() throws {
        let regex = try Self.pattern(of: "KeyPrefix")
        let prefixes = Self.keys.flatMap { key in key.indices.map { String(key[..<$0]) } + [key] }
        var checked = 0
        for candidate in Set(prefixes + prefixes.filter { $0.count % 13 == 0 }.flatMap { Self.edits(of: $0, stride: 4) })
        where !Self.outsidePatterns(candidate) {
            let parsed = (try? KeyLayout.KeyPrefix(parsing: candidate)) != nil
            #expect(Self.matches(regex, candidate) == parsed, "\(candidate.debugDescription): parser \(parsed)")
            checked += 1
        }
        #expect(checked > 3_000)
    }

    @Test func emailAddressesAreWhatTheAccountRuleAccepts() throws {
        let regex = try Self.pattern(of: "EmailAddress")
        #expect(Self.document.contains("      maxLength: \(EmailAddressRule.maxLength)\n      pattern: '^[^@"))
        let addresses = ["jane.doe@example.org", "a@b.c", "x@.", "ü@ö.example", "A.B+tag@Example.ORG", "a@b", "@b.c", "a@@b.c", "a b@c.d"]
        let long = String(repeating: "a", count: 249)
        let candidates: [String] = addresses + addresses.flatMap { Self.edits(of: $0) } + [long + "@b.cd", long + "a@b.cd"]
        for candidate in Set(candidates) {
            let documented = Self.matches(regex, candidate) && candidate.unicodeScalars.count <= EmailAddressRule.maxLength
            #expect(documented == EmailAddressRule.accepts(candidate), "\(candidate.debugDescription)")
        }
    }
}
