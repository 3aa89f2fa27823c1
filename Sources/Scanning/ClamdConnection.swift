import NIOCore
import NIOPosix

/// One connection to clamd, for one command: clamd answers a command once and closes the connection (outside an
/// `IDSESSION`), so a connection per scan is the protocol's own unit and needs no pool to stay correct.
///
/// Every wait on clamd goes through ``wait(for:timeout:)``, which gives it a deadline: when it passes, the answer is
/// failed with ``ScanError/timedOut`` and the connection closed, which fails every pending write as well.
final class ClamdConnection: Sendable {
    private let channel: any Channel
    private let replyPromise: EventLoopPromise<String>

    /// How many bytes may wait to be sent before the connection stops accepting more (``acceptsMore``): enough to
    /// keep the socket busy while the sender does its own work, little enough to keep memory flat.
    static let maximumBufferedBytes = 1 << 20

    /// clamd's answer (the text before its NUL), or why there is none.
    var reply: EventLoopFuture<String> { replyPromise.futureResult }

    /// Whether bytes handed over now go out without waiting: the connection is open and fewer than
    /// ``maximumBufferedBytes`` wait to be sent. Safe to read from any thread.
    var acceptsMore: Bool { channel.isActive && channel.isWritable }

    private init(channel: any Channel, reply: EventLoopPromise<String>) {
        self.channel = channel
        self.replyPromise = reply
    }

    /// Connects to `address` within `timeout`.
    static func open(_ address: ClamdAddress, group: any EventLoopGroup, timeout: TimeAmount) async throws(ScanError) -> ClamdConnection {
        let eventLoop = group.next()
        let reply = eventLoop.makePromise(of: String.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.writeBufferWaterMark, value: .init(low: maximumBufferedBytes / 4, high: maximumBufferedBytes))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClamdReplyHandler(reply: reply))
                }
            }
        do {
            let channel =
                switch address {
                case .unix(let path): try await bootstrap.connect(unixDomainSocketPath: path).get()
                case .tcp(let host, let port): try await bootstrap.connect(host: host, port: port).get()
                }
            return ClamdConnection(channel: channel, reply: reply)
        } catch {
            let failure = ScanError.unreachable("\(error)")
            reply.fail(failure)
            throw failure
        }
    }

    /// Sends `bytes` as they are (a command).
    func send(_ bytes: [UInt8]) -> EventLoopFuture<Void> {
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes))
    }

    /// Sends `chunk` as INSTREAM frames: each a 4-byte length in network byte order, then that many bytes
    /// (clamd(8), "INSTREAM"). The future completes when the last frame has been handed to the socket.
    /// - important: an empty chunk sends nothing, since a zero length ends the stream.
    func sendFrames(of chunk: ByteBuffer) -> EventLoopFuture<Void> {
        var rest = chunk
        var written = channel.eventLoop.makeSucceededVoidFuture()
        while let frame = rest.readSlice(length: min(rest.readableBytes, InstreamFraming.maximumFrameBytes)), frame.readableBytes > 0 {
            channel.write(InstreamFraming.lengthPrefix(of: frame.readableBytes, allocator: channel.allocator), promise: nil)
            written = channel.write(frame)
        }
        channel.flush()
        return written
    }

    /// Waits for `future` at most `timeout`; any failure is explained in clamd's terms (``explanation(of:)``).
    func wait<Value: Sendable>(for future: EventLoopFuture<Value>, timeout: TimeAmount) async throws(ScanError) -> Value {
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { [replyPromise, channel] in
            replyPromise.fail(ScanError.timedOut)
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            return try await future.get()
        } catch {
            throw await explanation(of: error)
        }
    }

    /// Closes the connection; safe to call more than once.
    func close() {
        channel.close(promise: nil)
    }

    /// Why a write or a wait failed. A write fails when clamd closed the connection, and clamd may have said why
    /// before closing (`INSTREAM size limit exceeded. ERROR`), or a deadline failed the answer: the answer is the
    /// better explanation, so it is read once the connection is closed.
    private func explanation(of error: any Error) async -> ScanError {
        if let scanError = error as? ScanError { return scanError }
        channel.close(promise: nil)
        do {
            let answer = try await reply.get()
            do {
                _ = try ClamdReply.verdict(answer)
                return .malformedReply("a verdict before the stream had ended")
            } catch {
                return error
            }
        } catch let answerError as ScanError {
            return answerError
        } catch {
            return .connectionLost("\(error)")
        }
    }
}
