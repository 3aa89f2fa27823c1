import Testing

@testable import Server

/// Error messages lose what could name a document before they are logged, and keep what explains the failure.
@Suite struct LogRedactionTests {
    @Test(arguments: [
        ("open failed with errno 28 (No space left on device)", "open failed with errno 28 (No space left on device)"),
        ("SQLite error 8: attempt to write a readonly database", "SQLite error 8: attempt to write a readonly database"),
        ("the store couldn't write the object", "the store couldn't write the object"),
        ("The file “hiv-result.pdf” couldn’t be saved.", "The file [redacted] couldn’t be saved."),
        ("while executing `INSERT INTO documents VALUES ('x')`", "while executing [redacted]"),
        ("no such object: patients/P-1/lab-results/a-b.pdf, giving up", "no such object: [redacted] giving up"),
        ("wrote scan.dcm (12 bytes)", "wrote [redacted] (12 bytes)"),
        ("retry 1.5 seconds later", "retry 1.5 seconds later"),
        ("C:\\data\\x", "[redacted]"),
        ("unclosed 'quote runs to the end", "unclosed [redacted]"),
    ])
    func scrubs(message: String, expected: String) {
        #expect(LogRedaction.scrub(message) == expected)
    }

    @Test func longMessagesAreCut() {
        let scrubbed = LogRedaction.scrub(String(repeating: "a ", count: 1000))
        #expect(scrubbed.count == LogRedaction.maxLength + 1)
    }
}
