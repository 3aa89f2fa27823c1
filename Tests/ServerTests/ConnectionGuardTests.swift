import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing

@testable import Server

/// ``ConnectionGuard`` on an embedded channel with the real HTTP/1.1 decoder and ``RequestProgressObserver`` behind
/// it, as in the server's pipeline; the embedded event loop's clock is moved by hand.
@Suite struct ConnectionGuardTests {
    static let limits = ConnectionLimits(
        headerTimeout: .seconds(30),
        idleTimeout: .seconds(60),
        bodyProgressTimeout: .seconds(60),
        bodyProgressBytes: 1000,
        maxConnections: 2
    )

    /// One connection to the guarded pipeline.
    struct Connection {
        let channel = EmbeddedChannel()

        init(limits: ConnectionLimits = ConnectionGuardTests.limits, counter: ConnectionCounter = ConnectionCounter(limit: 2)) throws {
            try channel.pipeline.syncOperations.addHandlers([
                ConnectionGuard(limits: limits, counter: counter, logger: .init(label: "connection-guard-test")),
                ByteToMessageHandler(HTTPRequestDecoder()),
                HTTPResponseEncoder(),
                HTTP1ToHTTPServerCodec(secure: false),
                RequestProgressObserver(),
            ])
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        }

        var isOpen: Bool { channel.isActive }

        func send(_ text: String) throws {
            try channel.writeInbound(ByteBuffer(string: text))
        }

        /// The server asks for more bytes, as Hummingbird does whenever it wants the next part.
        func demand() {
            channel.read()
        }

        func wait(_ seconds: Int64) {
            channel.embeddedEventLoop.advanceTime(by: .seconds(seconds))
        }

        /// The server answers the request, as Hummingbird writes a response.
        func respond() throws {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok, headerFields: [.contentLength: "0"])))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
    }

    static let postHead = "POST /api/v2/aws/s3/upload HTTP/1.1\r\nHost: medvault\r\nContent-Length: 100000\r\n\r\n"

    // MARK: - Headers

    @Test func headersJustWithinTheTimeoutAreServed() throws {
        let connection = try Connection()
        try connection.send("GET /healthz HTTP/1.1\r\nHost: medvault\r\n")
        connection.wait(29)
        try connection.send("\r\n")
        #expect(connection.isOpen)
        connection.wait(600)
        #expect(connection.isOpen, "no header deadline runs once the request is complete")
    }

    @Test func unfinishedHeadersAreCutAtTheTimeout() throws {
        let connection = try Connection()
        try connection.send("GET /healthz HTTP/1.1\r\nHost: med")
        connection.wait(29)
        #expect(connection.isOpen)
        connection.wait(1)
        #expect(!connection.isOpen)
    }

    @Test func headersDrippedByteByByteAreCutAtTheSameDeadline() throws {
        let connection = try Connection()
        for byte in "GET /healthz HTTP/1.1\r\nX-Padding: aaaaaaaaaa".utf8 where connection.isOpen {
            try connection.send(String(decoding: [byte], as: UTF8.self))
            connection.wait(1)
        }
        #expect(!connection.isOpen)
    }

    @Test func theHeaderClockStartsAtARequestsFirstByte() throws {
        let connection = try Connection()
        connection.wait(59)
        #expect(connection.isOpen, "before the first byte only the idle timeout applies")
        try connection.send("GET /healthz HTTP/1.1\r\nHost: medvault\r\n\r\n")
        try connection.respond()
        connection.wait(59)
        try connection.send("GET /healthz HTTP/1.1\r\n")
        connection.wait(29)
        #expect(connection.isOpen)
        connection.wait(1)
        #expect(!connection.isOpen, "the second request on the connection has its own deadline")
    }

    // MARK: - Idle

    @Test func aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws {
        let connection = try Connection()
        connection.wait(59)
        #expect(connection.isOpen)
        connection.wait(1)
        #expect(!connection.isOpen)
    }

    @Test func keepAliveIdlenessStartsWhenTheResponseEnds() throws {
        let connection = try Connection()
        try connection.send("GET /api/v2/aws/s3/download?id=x HTTP/1.1\r\nHost: medvault\r\n\r\n")
        connection.wait(600)
        #expect(connection.isOpen, "a request the server has not answered yet is not idleness")
        try connection.respond()
        connection.wait(59)
        #expect(connection.isOpen)
        connection.wait(1)
        #expect(!connection.isOpen)
    }

    // MARK: - Body

    @Test func aBodyThatStopsIsCut() throws {
        let connection = try Connection()
        try connection.send(Self.postHead)
        connection.demand()
        connection.wait(59)
        #expect(connection.isOpen)
        connection.wait(1)
        #expect(!connection.isOpen)
    }

    @Test func aTrickleBelowTheQuotaIsCutAfterTheTimeoutInAll() throws {
        let connection = try Connection()
        try connection.send(Self.postHead)
        for _ in 0..<5 {
            connection.demand()
            connection.wait(10)
            try connection.send(String(repeating: "x", count: 100))
        }
        #expect(connection.isOpen)
        connection.demand()
        connection.wait(9)
        #expect(connection.isOpen)
        connection.wait(1)
        #expect(!connection.isOpen, "500 bytes in 60 s of waiting is under 1000 per 60 s")
    }

    @Test func aSlowSteadyBodyIsNotCut() throws {
        let connection = try Connection()
        try connection.send(Self.postHead)
        for _ in 0..<20 {
            connection.demand()
            connection.wait(50)
            try connection.send(String(repeating: "x", count: 1000))
            #expect(connection.isOpen)
        }
    }

    @Test func timeTheServerSpendsBeforeReadingDoesNotCount() throws {
        let connection = try Connection()
        try connection.send(Self.postHead)
        connection.wait(600)
        #expect(connection.isOpen, "no read asked for: the server is busy with what it has")
        connection.demand()
        connection.wait(59)
        #expect(connection.isOpen)
        connection.wait(1)
        #expect(!connection.isOpen)
    }

    @Test func noBodyDeadlineRunsOnceTheRequestHasEnded() throws {
        let connection = try Connection()
        try connection.send("POST /api/v2/aws/s3/delete HTTP/1.1\r\nHost: medvault\r\nContent-Length: 5\r\n\r\nhello")
        connection.demand()
        connection.wait(600)
        #expect(connection.isOpen)
    }

    // MARK: - The cap

    @Test func connectionsOverTheCapAreAnswered503AndClosed() throws {
        let counter = ConnectionCounter(limit: 2)
        let first = try Connection(counter: counter)
        let second = try Connection(counter: counter)
        #expect(counter.open == 2)
        let third = try Connection(counter: counter)
        #expect(!third.isOpen)
        let answer = try #require(try third.channel.readOutbound(as: ByteBuffer.self))
        let text = String(buffer: answer)
        #expect(text.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(text.contains("\r\nConnection: close\r\n"))
        #expect(text.contains(#""code":"too_many_connections""#))
        #expect(counter.open == 2, "a refused connection is not counted")

        _ = try first.channel.finish()
        #expect(counter.open == 1)
        let fourth = try Connection(counter: counter)
        #expect(fourth.isOpen)
        #expect(second.isOpen)
        #expect(counter.open == 2)
    }

    @Test func aConnectionClosedForSlownessIsNoLongerCounted() throws {
        let counter = ConnectionCounter(limit: 2)
        let connection = try Connection(counter: counter)
        try connection.send("GET / HTTP/1.1\r\n")
        connection.wait(30)
        #expect(!connection.isOpen)
        #expect(counter.open == 0)
    }
}
