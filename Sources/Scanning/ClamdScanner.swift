import NIOCore
import NIOPosix

/// A client for ClamAV's daemon, clamd, over its own protocol (clamd(8)) on a unix or TCP socket: `PING` and
/// `VERSION` for health, `INSTREAM` for scanning bytes that never touch clamd's disk under their own name.
///
/// Each command opens its own connection (clamd answers once per connection), with a deadline on the connection and
/// on every wait after it. The client holds no state between commands, so clamd may restart at any time: the next
/// command simply connects again.
package struct ClamdScanner: Sendable {
    /// How long the client waits for clamd.
    package struct Timeouts: Sendable, Hashable {
        /// To establish a connection.
        package var connect: TimeAmount
        /// For clamd to take the next bytes, or to answer once the stream has ended (the scan itself); clamd's own
        /// `MaxScanTime` (120 s by default) bounds the scan on its side.
        package var answer: TimeAmount

        /// Creates the timeouts: 5 s to connect and 60 s per wait unless told otherwise.
        package init(connect: TimeAmount = .seconds(5), answer: TimeAmount = .seconds(60)) {
            self.connect = connect
            self.answer = answer
        }
    }

    /// Where clamd listens.
    package let address: ClamdAddress
    package let timeouts: Timeouts
    private let eventLoopGroup: any EventLoopGroup

    /// A client for clamd at `address`, on NIO's shared event loops unless `eventLoopGroup` is given.
    package init(address: ClamdAddress, timeouts: Timeouts = Timeouts(), eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.address = address
        self.timeouts = timeouts
        self.eventLoopGroup = eventLoopGroup
    }

    /// `PING`: whether clamd is up and answering (`PONG`).
    package func ping() async throws(ScanError) {
        try ClamdReply.pong(try await command("PING"))
    }

    /// `VERSION`: the engine's version and the signature database's version and date.
    package func version() async throws(ScanError) -> ClamdVersion {
        try ClamdVersion(parsing: try await command("VERSION"))
    }

    /// Opens a connection and starts an `INSTREAM` scan; the bytes follow through the session.
    package func startScan() async throws(ScanError) -> ScanSession {
        let connection = try await ClamdConnection.open(address, group: eventLoopGroup, timeout: timeouts.connect)
        return ScanSession(connection: connection, timeout: timeouts.answer)
    }

    /// Scans bytes held in memory, in order, as one file.
    package func scan(_ chunks: some Sequence<ByteBuffer>) async throws(ScanError) -> ScanVerdict {
        var session = try await startScan()
        do {
            for chunk in chunks {
                try await session.send(chunk)
            }
            return try await session.finish()
        } catch {
            session.cancel()
            throw error
        }
    }

    /// Scans a stream of bytes as one file, e.g. an object read back from storage. Throws the stream's own errors as
    /// they are, and ``ScanError`` for the scan.
    package func scan<Body: AsyncSequence<ByteBuffer, any Error>>(_ body: Body) async throws -> ScanVerdict {
        var session = try await startScan()
        do {
            for try await chunk in body {
                try await session.send(chunk)
            }
            return try await session.finish()
        } catch {
            session.cancel()
            throw error
        }
    }

    /// Sends `name` (with the `z` prefix and its NUL) on a connection of its own and returns clamd's answer.
    private func command(_ name: String) async throws(ScanError) -> String {
        let connection = try await ClamdConnection.open(address, group: eventLoopGroup, timeout: timeouts.connect)
        defer { connection.close() }
        try await connection.wait(for: connection.send(Array("z\(name)\0".utf8)), timeout: timeouts.answer)
        return try await connection.wait(for: connection.reply, timeout: timeouts.answer)
    }
}
