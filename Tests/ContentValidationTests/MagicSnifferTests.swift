import ContentValidation
import Testing

/// What libmagic 5.44 really reports for the generated samples; the policy is built on these facts.
@Suite struct MagicSnifferTests {
    @Test(arguments: [
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
        ("gif", "image/gif"),
        ("webp", "image/webp"),
        ("pdf", "application/pdf"),
        ("svg", "image/svg+xml"),
        ("text", "text/plain"),
        ("comma-csv", "text/csv"),
        ("semicolon-csv", "text/plain"),
        ("dicom-preamble", "application/dicom"),
        ("dicom-no-preamble", "application/octet-stream"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("docx-late-word", "application/octet-stream"),
        ("docx-rels-first", "application/zip"),
        ("zip", "application/zip"),
        ("doc", "application/msword"),
        ("xls", "application/vnd.ms-excel"),
        ("html", "text/html"),
        ("empty", "application/x-empty"),
    ])
    func reportsWhatLibmagicSays(sample: String, expected: String) {
        #expect(TestSupport.sniff(Samples.bytes(sample)) == expected)
    }

    @Test func recognisesExecutables() {
        #expect(TestSupport.sniff(Samples.elf).hasPrefix("application/x-"))
        #expect(TestSupport.sniff(Samples.elf).contains("sharedlib") || TestSupport.sniff(Samples.elf).contains("executable"))
    }

    @Test func loadFailureIsATypedError() {
        #expect(throws: MagicSnifferError.self) { try MagicSniffer(databasePath: "/nonexistent/magic.mgc") }
    }

    @Test func reportsTheLibraryVersion() {
        #expect(MagicSniffer.libraryVersion >= 544)
    }

    @Test func isSafeToShareAcrossTasks() async {
        let sniffer = TestSupport.sniffer
        let results = await withTaskGroup(of: String.self) { group in
            for index in 0..<32 {
                let sample = index.isMultiple(of: 2) ? Samples.png : Samples.pdf
                group.addTask { sample.withUnsafeBytes { sniffer.mimeType(of: $0) } }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(results.filter { $0 == "image/png" }.count == 16)
        #expect(results.filter { $0 == "application/pdf" }.count == 16)
    }
}
