import NIOCore

/// One `INSTREAM` scan in flight: the caller hands over the bytes as they arrive and asks for the verdict at the end.
///
/// Bytes go to clamd while the caller goes on with its own work: ``send(_:)`` hands a chunk to the connection and
/// returns at once. It waits only when a megabyte may not have been sent yet, or the connection has closed: then
/// for everything handed over so far, so clamd's pace holds the sender back without buffering the file, and a clamd
/// that went away is noticed at the next chunk. Call ``send(_:)`` and ``finish()`` one after another, then never
/// again; ``cancel()`` ends a scan that is abandoned.
package struct ScanSession: Sendable {
    private let connection: ClamdConnection
    private let timeout: TimeAmount
    private var pendingWrite: EventLoopFuture<Void>
    /// Bytes handed to the connection since a wait last saw everything before them sent. Writes from outside the
    /// event loop reach the connection's buffer (and its ``ClamdConnection/acceptsMore``) only once the loop runs
    /// them, so this bounds what can pile up in between.
    private var unconfirmedBytes = 0
    /// How many bytes of content have been handed to clamd so far.
    package private(set) var bytesSent = 0

    init(connection: ClamdConnection, timeout: TimeAmount) {
        self.connection = connection
        self.timeout = timeout
        self.pendingWrite = connection.send(InstreamFraming.command)
    }

    /// Sends the next bytes of the content. Throws when clamd is gone, stopped reading for longer than the deadline,
    /// or refused the stream (its `StreamMaxLength`); the connection is closed then.
    package mutating func send(_ chunk: ByteBuffer) async throws(ScanError) {
        guard chunk.readableBytes > 0 else { return }
        if unconfirmedBytes >= ClamdConnection.maximumBufferedBytes || !connection.acceptsMore {
            try await connection.wait(for: pendingWrite, timeout: timeout)
            unconfirmedBytes = 0
        }
        pendingWrite = connection.sendFrames(of: chunk)
        unconfirmedBytes += chunk.readableBytes
        bytesSent += chunk.readableBytes
    }

    /// Ends the stream and waits for clamd's verdict on everything sent.
    package func finish() async throws(ScanError) -> ScanVerdict {
        try await connection.wait(for: pendingWrite, timeout: timeout)
        try await connection.wait(for: connection.send(InstreamFraming.terminator), timeout: timeout)
        let answer = try await connection.wait(for: connection.reply, timeout: timeout)
        connection.close()
        return try ClamdReply.verdict(answer)
    }

    /// Abandons the scan and closes the connection; clamd then discards what it received.
    package func cancel() {
        connection.close()
    }
}
