import ContentValidation
import Documents
import Foundation
import Testing

@Suite struct FileNameSanitizerTests {
    @Test(arguments: [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        (#"C:\Users\jane\Desktop\scan.png"#, "scan.png"),
        (#"..\..\windows\win.ini"#, "win.ini"),
        ("dir/", "file"),
        ("a\u{0}b\u{7}c\u{7F}d\u{9F}e.pdf", "abcde.pdf"),
        ("what?#%\"<>|*:.pdf", "what.pdf"),
        ("%2e%2e%2fsecret.pdf", "2e2e2fsecret.pdf"),
        ("  lots   of\tspace\nand\r\nlines  .pdf", "lots of space and lines.pdf"),
        ("non\u{00A0}breaking\u{2003}space.txt", "non breaking space.txt"),
        (".hidden", "file.hidden"),
        (".pdf", "file.pdf"),
        ("...", "file"),
        ("", "file"),
        ("???", "file"),
        ("...report.pdf", "report.pdf"),
        ("report.pdf.", "report.pdf"),
        ("report . pdf", "report . pdf"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("zero\u{200B}width\u{FEFF}.txt", "zerowidth.txt"),
        ("．．／．．／etc／passwd", "．．．．etcpasswd"),
        ("a∕b⁄c＼d.pdf", "abcd.pdf"),
        ("Befund Müller.pdf", "Befund Müller.pdf"),
    ])
    func sanitizes(raw: String, expected: String) {
        let result = FileNameSanitizer.sanitize(raw)
        #expect(result.unicodeScalars.elementsEqual(expected.unicodeScalars), "\(raw.debugDescription) → \(result.debugDescription)")
    }

    @Test func normalisesToNFC() {
        let decomposed = "Cafe\u{301}.pdf"
        let result = FileNameSanitizer.sanitize(decomposed)
        #expect(Array(result.unicodeScalars) == Array("Caf\u{E9}.pdf".unicodeScalars))
        // A dropped control character must not leave a decomposed sequence behind.
        let split = FileNameSanitizer.sanitize("e\u{0}\u{301}.txt")
        #expect(Array(split.unicodeScalars) == Array("\u{E9}.txt".unicodeScalars))
    }

    @Test func capsLongNamesAndKeepsTheExtension() {
        let long = String(repeating: "a", count: 400) + ".pdf"
        let result = FileNameSanitizer.sanitize(long)
        #expect(result.utf8.count == ObjectNameRule.maxBytes)
        #expect(result.hasSuffix(".pdf"))
        #expect(result.hasPrefix("aaaa"))
    }

    @Test func capsAtCharacterBoundaries() {
        let emoji = String(repeating: "👩‍⚕️", count: 40) + ".png"  // 13 bytes per doctor
        let result = FileNameSanitizer.sanitize(emoji)
        #expect(result.utf8.count <= ObjectNameRule.maxBytes)
        #expect(result.hasSuffix(".png"))
        #expect(result.dropLast(4).allSatisfy { $0 == "👩‍⚕️" })
    }

    @Test func treatsAnOverlongSuffixAsPartOfTheName() {
        let result = FileNameSanitizer.sanitize("x." + String(repeating: "b", count: 300))
        #expect(result.utf8.count <= ObjectNameRule.maxBytes)
        #expect(result.hasPrefix("x.bbb"))
    }

    @Test func isIdempotent() {
        for raw in Self.fuzzInputs() {
            let once = FileNameSanitizer.sanitize(raw)
            #expect(FileNameSanitizer.sanitize(once) == once, "\(raw.debugDescription)")
        }
    }

    @Test func alwaysProducesAValidObjectNameAndKey() throws {
        let entity = try EntityID(validating: "P-1")
        let documentID = try #require(UUID(uuidString: "3f2a9c1e-0000-4000-8000-000000000001"))
        for raw in Self.fuzzInputs() {
            let name = FileNameSanitizer.sanitize(raw)
            #expect(ObjectNameRule.violation(of: name) == nil, "\(raw.debugDescription) → \(name.debugDescription)")
            let key = KeyLayout.documentKey(entityType: .patient, entityID: entity, category: .labResults, documentID: documentID, fileName: name)
            #expect(key.fileName == name, "the builder must not have needed its fallback for \(name.debugDescription)")
            #expect(try DocumentKey(parsing: key.rawValue) == key)
        }
    }

    /// Deterministic hostile names: path tricks, controls, separators, look-alikes, combining marks, long runs.
    static func fuzzInputs() -> [String] {
        let alphabet: [String] = [
            "a", "Z", "0", ".", "..", " ", "/", "\\", "%", "?", "#", "\"", "<", ">", "|", "*", ":", "\u{0}", "\t", "\n", "\u{7F}", "\u{85}",
            "\u{9F}", "\u{A0}", "\u{301}", "e\u{301}", "\u{202E}", "\u{200B}", "\u{FEFF}", "／", "．", "＼", "∕", "é", "中", "👩‍⚕️", "\u{958}",
            "%2e", "pdf", ".pdf", "\u{2028}", "\u{3000}",
        ]
        var generator = SplitMix64(seed: 0x5EED)
        var inputs: [String] = []
        for _ in 0..<2000 {
            let length = Int(generator.next() % 40)
            inputs.append((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }.joined())
        }
        inputs.append(String(repeating: "é", count: 200) + ".docx")
        inputs.append(String(repeating: "\u{958}", count: 60) + ".txt")  // NFC makes these longer
        return inputs
    }
}

/// A tiny deterministic generator (SplitMix64), so the fuzz inputs are the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
