import Testing

@testable import Scanning

/// clamd's answers as clamd 1.4 writes them (clamd/session.c, clamd/scanner.c), and what must not pass for one.
@Suite struct ClamdReplyTests {
    @Test func readsVerdicts() throws {
        #expect(try ClamdReply.verdict("stream: OK") == .clean)
        #expect(try ClamdReply.verdict("stream: Win.Test.EICAR_HDB-1 FOUND") == .infected(signature: "Win.Test.EICAR_HDB-1"))
        #expect(try ClamdReply.verdict("stream: MedVault.Test.Marker.UNOFFICIAL FOUND") == .infected(signature: "MedVault.Test.Marker.UNOFFICIAL"))
    }

    @Test func anAlertThatALimitWasExceededIsNoVerdict() {
        let error = #expect(throws: ScanError.self) { try ClamdReply.verdict("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND") }
        #expect(error?.code == "clamd_scan_limit")
    }

    @Test func readsErrors() {
        #expect(throws: ScanError.streamTooLong) { try ClamdReply.verdict("INSTREAM size limit exceeded. ERROR") }
        let scanFailure = #expect(throws: ScanError.self) { try ClamdReply.verdict("stream: Can't create temporary file ERROR") }
        #expect(scanFailure?.code == "clamd_error")
        let otherFailure = #expect(throws: ScanError.self) { try ClamdReply.verdict("Error processing command. ERROR") }
        #expect(otherFailure?.code == "clamd_error")
    }

    @Test(arguments: [
        "", "OK", "stream:OK", "stream: ok", "stream: OK ", " stream: OK", "stream: FOUND", "stream:  FOUND", "stream: Two Words FOUND",
        "stream: Name\u{7}Bell FOUND", "stream: Nämé FOUND", "stream: \(String(repeating: "A", count: 257)) FOUND", "1: stream: OK",
        "stream: Name FOUND\n", "UNKNOWN COMMAND", "PONG", "fd[10]: OK", "COMMAND READ TIMED OUT",
    ])
    func refusesMalformedVerdicts(answer: String) {
        let error = #expect(throws: ScanError.self) { try ClamdReply.verdict(answer) }
        #expect(error?.code == "clamd_malformed_reply")
    }

    @Test func signatureNamesOfTheLongestLengthPass() throws {
        let name = String(repeating: "A", count: ClamdReply.maximumSignatureBytes)
        #expect(try ClamdReply.verdict("stream: \(name) FOUND") == .infected(signature: name))
    }

    @Test func readsPong() throws {
        try ClamdReply.pong("PONG")
        for answer in ["", "PONG ", "pong", "PING"] {
            let error = #expect(throws: ScanError.self) { try ClamdReply.pong(answer) }
            #expect(error?.code == "clamd_malformed_reply")
        }
    }

    @Test func errorsKeepClamdsWordsButNothingUnprintable() {
        let error = #expect(throws: ScanError.self) { try ClamdReply.verdict("stream: bad\u{1}thing ERROR") }
        #expect(error?.underlying == "stream: bad?thing ERROR")
    }
}

@Suite struct ClamdVersionTests {
    @Test func readsOfficialDatabases() throws {
        let version = try ClamdVersion(parsing: "ClamAV 1.4.6/27491/Tue Dec 17 09:37:52 2024")
        #expect(version == ClamdVersion(engine: "1.4.6", signatureVersion: 27491, signatureDate: "2024-12-17"))
        let padded = try ClamdVersion(parsing: "ClamAV 1.0.7/26800/Sun Jan  7 08:15:00 2024")
        #expect(padded.signatureDate == "2024-01-07")
    }

    @Test func readsUnversionedDatabases() throws {
        #expect(try ClamdVersion(parsing: "ClamAV 1.4.6") == ClamdVersion(engine: "1.4.6", signatureVersion: nil, signatureDate: nil))
    }

    @Test(arguments: [
        "", "ClamAV", "ClamAV ", "clamav 1.4.6", "ClamAV 1.4.6/27491", "ClamAV 1.4.6/x/Tue Dec 17 09:37:52 2024",
        "ClamAV 1.4.6/27491/Tue Foo 17 09:37:52 2024", "ClamAV 1.4.6/27491/Tue Dec 32 09:37:52 2024", "ClamAV 1.4.6/27491/yesterday",
        "ClamAV 1.4.6/0/Tue Dec 17 09:37:52 2024", "ClamAV 1.4.6/27491/Tue Dec 17 09:37:52 24", "ClamAV 1 4/27491/Tue Dec 17 09:37:52 2024",
        "ClamAV 1.4.6\n",
    ])
    func refusesAnythingElse(answer: String) {
        let error = #expect(throws: ScanError.self) { try ClamdVersion(parsing: answer) }
        #expect(error?.code == "clamd_malformed_reply")
    }
}
