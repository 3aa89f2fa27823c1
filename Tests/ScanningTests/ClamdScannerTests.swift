import NIOCore
import Testing

@testable import Scanning

/// The protocol client against ``FakeClamd``: the bytes it sends, and what it makes of every kind of answer, silence
/// and misbehaviour. Short deadlines keep the timeout tests fast.
@Suite struct ClamdScannerTests {
    /// Deadlines long enough not to fire on a busy machine, for tests that are not about them.
    static let timeouts = ClamdScanner.Timeouts(connect: .seconds(5), answer: .seconds(10))
    /// Short deadlines, for the tests that wait for one to pass.
    static let shortTimeouts = ClamdScanner.Timeouts(connect: .seconds(2), answer: .milliseconds(300))

    private func withFake<T>(
        tcp: Bool = false,
        _ behaviour: FakeClamd.Behaviour,
        _ body: (ClamdScanner, FakeClamd) async throws -> T
    ) async throws -> T {
        let fake = try await FakeClamd.start(tcp: tcp, always: behaviour)
        do {
            let timeouts = [.silent, .stopReading].contains(behaviour) ? Self.shortTimeouts : Self.timeouts
            let result = try await body(ClamdScanner(address: fake.address, timeouts: timeouts), fake)
            await fake.stop()
            return result
        } catch {
            await fake.stop()
            throw error
        }
    }

    private func scanError(_ body: () async throws -> Void) async -> ScanError? {
        await #expect(throws: ScanError.self) { try await body() }
    }

    private static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    // MARK: what is sent

    @Test func sendsTheStreamAsINSTREAMFrames() async throws {
        try await withFake(.answer(Array("stream: OK\0".utf8))) { scanner, fake in
            let verdict = try await scanner.scan([Self.buffer("abc"), ByteBuffer(), Self.buffer("defg")])
            #expect(verdict == .clean)
            let expected: [UInt8] = Array("zINSTREAM\0".utf8) + [0, 0, 0, 3] + Array("abc".utf8) + [0, 0, 0, 4] + Array("defg".utf8) + [0, 0, 0, 0]
            #expect(fake.connections == [expected])
        }
    }

    @Test func anEmptyChunkDoesNotEndTheStream() async throws {
        try await withFake(.answer(Array("stream: OK\0".utf8))) { scanner, fake in
            var session = try await scanner.startScan()
            try await session.send(ByteBuffer())
            try await session.send(Self.buffer("x"))
            #expect(try await session.finish() == .clean)
            #expect(session.bytesSent == 1)
            #expect(fake.connections.first?.suffix(9) == [0, 0, 0, 1, UInt8(ascii: "x"), 0, 0, 0, 0])
        }
    }

    @Test func splitsLongChunksIntoFrames() async throws {
        try await withFake(.answer(Array("stream: OK\0".utf8))) { scanner, fake in
            let size = InstreamFraming.maximumFrameBytes + 5
            #expect(try await scanner.scan([ByteBuffer(repeating: 7, count: size)]) == .clean)
            let sent = try #require(fake.connections.first)
            let first = 10
            #expect(Array(sent[first..<first + 4]) == [0, 0x10, 0, 0])
            let second = first + 4 + InstreamFraming.maximumFrameBytes
            #expect(Array(sent[second..<second + 4]) == [0, 0, 0, 5])
            #expect(sent.count == second + 4 + 5 + 4)
        }
    }

    @Test func scansAStreamOfBytes() async throws {
        try await withFake(.answer(Array("stream: OK\0".utf8))) { scanner, fake in
            let (body, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            continuation.yield(Self.buffer("stored "))
            continuation.yield(Self.buffer("object"))
            continuation.finish()
            let verdict = try await scanner.scan(body)
            #expect(verdict == .clean)
            let firstFrame = fake.connections.first.map { Array($0.dropFirst(10).prefix(11)) }
            #expect(firstFrame == [0, 0, 0, 7] + Array("stored ".utf8))
        }
    }

    @Test func aStreamThatFailsEndsTheScanWithItsOwnError() async throws {
        struct ReadFailed: Error {}
        try await withFake(.answer(Array("stream: OK\0".utf8))) { scanner, _ in
            let (body, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
            continuation.yield(Self.buffer("partial"))
            continuation.finish(throwing: ReadFailed())
            await #expect(throws: ReadFailed.self) { _ = try await scanner.scan(body) }
        }
    }

    @Test func speaksTCPToo() async throws {
        try await withFake(tcp: true, .answer(Array("stream: Eicar-Test-Signature FOUND\0".utf8))) { scanner, _ in
            let verdict = try await scanner.scan([Self.buffer("x")])
            #expect(verdict == .infected(signature: "Eicar-Test-Signature"))
        }
    }

    @Test func pingsAndAsksForTheVersion() async throws {
        let fake = try await FakeClamd.start { command in
            switch command {
            case "zPING": .answer(Array("PONG\0".utf8))
            case "zVERSION": .answer(Array("ClamAV 1.4.6/27491/Tue Dec 17 09:37:52 2024\0".utf8))
            default: .closeWithoutAnswer
            }
        }
        let scanner = ClamdScanner(address: fake.address, timeouts: Self.timeouts)
        try await scanner.ping()
        #expect(try await scanner.version() == ClamdVersion(engine: "1.4.6", signatureVersion: 27491, signatureDate: "2024-12-17"))
        #expect(fake.connections == [Array("zPING\0".utf8), Array("zVERSION\0".utf8)])
        await fake.stop()
    }

    // MARK: answers that are not a verdict

    @Test(arguments: [
        "stream: OK", "stream: OK\n", "OK\0", "stream: Eicar FOUND\n", "HTTP/1.1 400 Bad Request\r\n\r\n", "stream: \u{FF}\0",
        "stream: Eicar\u{0}FOUND\0", String(repeating: "A", count: 5000),
    ])
    func malformedAnswersAreNoVerdict(answer: String) async throws {
        try await withFake(.answer(Array(answer.utf8))) { scanner, _ in
            let error = await scanError { _ = try await scanner.scan([Self.buffer("x")]) }
            #expect(error?.code == "clamd_malformed_reply")
        }
    }

    @Test func bytesThatAreNotUTF8AreNoAnswer() async throws {
        try await withFake(.answer(Array("stream: ".utf8) + [0xC3, 0x28] + Array(" FOUND\0".utf8))) { scanner, _ in
            let error = await scanError { _ = try await scanner.scan([Self.buffer("x")]) }
            #expect(error?.code == "clamd_malformed_reply")
        }
    }

    @Test func aConnectionClosedWithoutAnswerIsNoVerdict() async throws {
        try await withFake(.closeWithoutAnswer) { scanner, _ in
            let error = await scanError { _ = try await scanner.scan([Self.buffer("x")]) }
            #expect(error?.code == "clamd_connection_lost")
        }
    }

    @Test func clamdsReadTimeoutIsNamed() async throws {
        try await withFake(.answer(Array("COMMAND READ TIMED OUT\n".utf8))) { scanner, _ in
            let error = await scanError { _ = try await scanner.scan([Self.buffer("x")]) }
            #expect(error?.code == "clamd_connection_lost")
            #expect(error?.underlying?.contains("ReadTimeout") == true)
        }
    }

    @Test func silenceTimesOut() async throws {
        try await withFake(.silent) { scanner, _ in
            let started = ContinuousClock.now
            let error = await scanError { _ = try await scanner.scan([Self.buffer("x")]) }
            #expect(error == .timedOut)
            // The answer deadline is 300 ms; the bound only tells it from a wait on the default deadlines, and is
            // generous because the whole unit suite shares two cores with it (6.8 s was seen under that load).
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test func aScannerThatStopsReadingTimesOut() async throws {
        try await withFake(.stopReading) { scanner, _ in
            var session = try await scanner.startScan()
            let chunk = ByteBuffer(repeating: 1, count: 256 * 1024)
            let error = await scanError {
                for _ in 0..<400 { try await session.send(chunk) }
                _ = try await session.finish()
            }
            #expect(error == .timedOut)
            #expect(session.bytesSent < 400 * 256 * 1024)
        }
    }

    @Test func aStreamOverStreamMaxLengthIsRefusedWhileSending() async throws {
        try await withFake(.answerEarly(Array("INSTREAM size limit exceeded. ERROR\0".utf8), afterBytes: 1 << 20)) { scanner, _ in
            var session = try await scanner.startScan()
            let chunk = ByteBuffer(repeating: 1, count: 64 * 1024)
            let error = await scanError {
                for _ in 0..<1024 { try await session.send(chunk) }
                _ = try await session.finish()
            }
            #expect(error == .streamTooLong)
            #expect(session.bytesSent < 1024 * 64 * 1024)
        }
    }

    @Test func anErrorAnswerIsNoVerdict() async throws {
        try await withFake(.answer(Array("stream: Can't create temporary file ERROR\0".utf8))) { scanner, _ in
            let error = await scanError { _ = try await scanner.scan([Self.buffer("x")]) }
            #expect(error?.code == "clamd_error")
        }
    }

    @Test func nothingListeningIsUnreachable() async throws {
        let scanner = ClamdScanner(address: .unix(path: "/tmp/no-such-clamd-\(UInt64.random(in: 0...UInt64.max)).sock"), timeouts: Self.shortTimeouts)
        let error = await scanError { _ = try await scanner.scan([Self.buffer("x")]) }
        #expect(error?.code == "clamd_unreachable")
        let pingError = await scanError { try await scanner.ping() }
        #expect(pingError?.code == "clamd_unreachable")
    }

    @Test func aClosedTCPPortIsUnreachable() async throws {
        let fake = try await FakeClamd.start(tcp: true, always: .silent)
        let address = fake.address
        await fake.stop()
        let error = await scanError { try await ClamdScanner(address: address, timeouts: Self.shortTimeouts).ping() }
        #expect(error?.code == "clamd_unreachable")
    }

    // MARK: coverage and health

    @Test func coverageHoldsWhenTheTestFileAtTheEndIsFound() async throws {
        try await withFake(.answer(Array("stream: Win.Test.EICAR_HDB-1 FOUND\0".utf8))) { scanner, fake in
            try await scanner.verifyCoverage(upTo: 3 << 20)
            let sent = try #require(fake.connections.first)
            // The command, 4 frames with their prefixes (3 MiB of zeros minus the archive, then the archive), the end.
            let expectedCount: Int = 10 + (3 << 20) + 4 * 4 + 4
            #expect(sent.count == expectedCount)
        }
    }

    @Test func aProbeReportedCleanMeansClamdStopsShort() async throws {
        try await withFake(.answer(Array("stream: OK\0".utf8))) { scanner, _ in
            let error = await #expect(throws: ScanCoverageError.self) { try await scanner.verifyCoverage(upTo: 1 << 20) }
            #expect(error?.description.contains("MaxFileSize to at least 1M and MaxScanSize to at least 2M") == true)
        }
    }

    @Test func aLimitAlertMeansClamdStopsShort() async throws {
        try await withFake(.answer(Array("stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND\0".utf8))) { scanner, _ in
            let error = await #expect(throws: ScanCoverageError.self) { try await scanner.verifyCoverage(upTo: 1 << 20) }
            #expect(error?.description.contains("MaxFileSize") == true)
        }
    }

    @Test func aProbeOverStreamMaxLengthNamesIt() async throws {
        try await withFake(.answerEarly(Array("INSTREAM size limit exceeded. ERROR\0".utf8), afterBytes: 1 << 20)) { scanner, _ in
            let error = await #expect(throws: ScanCoverageError.self) { try await scanner.verifyCoverage(upTo: 50 << 20) }
            #expect(error?.description.contains("StreamMaxLength to at least 50M") == true)
        }
    }

    @Test func theHealthCheckPingsAsksAndScansTheTestFile() async throws {
        let fake = try await FakeClamd.start { command in
            switch command {
            case "zPING": .answer(Array("PONG\0".utf8))
            case "zVERSION": .answer(Array("ClamAV 1.4.6\0".utf8))
            default: .answer(Array("stream: Eicar-Test-Signature FOUND\0".utf8))
            }
        }
        let check = await ClamdScanner(address: fake.address, timeouts: Self.timeouts).check()
        #expect(check.passed)
        #expect(check.testSignature == "Eicar-Test-Signature")
        #expect(fake.connections.last == Array("zINSTREAM\0".utf8) + [0, 0, 0, 68] + EICARTestFile.bytes + [0, 0, 0, 0])
        await fake.stop()
    }

    @Test func theHealthCheckFailsWhenTheTestFileIsNotRefused() async throws {
        let fake = try await FakeClamd.start { command in
            switch command {
            case "zPING": .answer(Array("PONG\0".utf8))
            case "zVERSION": .answer(Array("ClamAV 1.4.6\0".utf8))
            default: .answer(Array("stream: OK\0".utf8))
            }
        }
        let check = await ClamdScanner(address: fake.address, timeouts: Self.timeouts).check()
        #expect(!check.passed)
        #expect(check.reachable && !check.testFileRefused && check.problem == nil)
        await fake.stop()
    }

    @Test func theHealthCheckReportsAnUnreachableScanner() async {
        let check = await ClamdScanner(address: .unix(path: "/tmp/no-such-clamd.sock"), timeouts: Self.shortTimeouts).check()
        #expect(!check.passed && !check.reachable)
        #expect(check.problem?.code == "clamd_unreachable")
    }
}
