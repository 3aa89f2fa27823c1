import Hummingbird
import Logging
import NIOCore

/// The first handler of every connection: it admits the connection under ``ConnectionLimits/maxConnections`` and
/// closes it when the client is too slow with a request's headers or body.
///
/// It works on raw bytes, before the HTTP decoder, so it sees every byte arrive and every read the server asks for;
/// ``RequestProgressObserver``, after the decoder, tells it when a request's headers are complete and when the
/// request ends. The clock is the event loop's, so tests drive it with an embedded loop.
///
/// - Headers: a request's headers must be complete within ``ConnectionLimits/headerTimeout`` of its first byte,
///   however slowly the bytes keep coming. (Before the first byte, Hummingbird's idle timeout applies.)
/// - Body: while the server waits for body bytes, each ``ConnectionLimits/bodyProgressBytes`` must arrive within
///   ``ConnectionLimits/bodyProgressTimeout``. Waiting is counted from a read the server asks for until data comes,
///   so the time the server itself spends before reading on (streaming to storage) never counts against the client.
/// - Over the cap, the connection is answered `503 too_many_connections` and closed before anything is read.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        /// Not yet admitted.
        case opening
        /// No request under way: before the first one, or after one ended.
        case waiting
        /// Bytes of a request have arrived, its headers are not complete.
        case readingHead
        /// The headers are complete, the body (possibly empty) has not ended.
        case readingBody(BodyProgress)
        /// Refused over the cap, or closed for slowness: nothing more is read.
        case closed
    }

    /// How the current body keeps up with ``ConnectionLimits/bodyProgressBytes`` per ``ConnectionLimits/bodyProgressTimeout``.
    private struct BodyProgress {
        /// Body bytes since the last time the quota was met.
        var bytes = 0
        /// Time spent waiting for them, not counting the current wait.
        var waited = TimeAmount.zero
        /// When the current wait began: the server asked for a read and no data has come since.
        var waitingSince: NIODeadline?
    }

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private let logger: Logger
    private var phase = Phase.opening
    /// Whether ``counter`` counts this connection (until it closes).
    private var admitted = false
    /// The header or body deadline of the current phase.
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits, counter: ConnectionCounter, logger: Logger) {
        self.limits = limits
        self.counter = counter
        self.logger = logger
    }

    // MARK: - Admission

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context: context)
        if admitted { context.fireChannelActive() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        if admitted { counter.release() }
        admitted = false
        phase = .closed
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func admit(context: ChannelHandlerContext) {
        guard case .opening = phase else { return }
        guard counter.admit() else {
            phase = .closed
            logger.debug("connection refused: too many open connections", metadata: ["connections.limit": "\(counter.limit)"])
            context.writeAndFlush(wrapOutboundOut(Self.refusal(allocator: context.channel.allocator)), promise: nil)
            context.close(promise: nil)
            return
        }
        admitted = true
        phase = .waiting
    }

    /// The whole answer to a connection over the cap, written before anything is read: a 503 with the API's error
    /// body (its request id names no request, since none was read) and `Connection: close`.
    private static func refusal(allocator: ByteBufferAllocator) -> ByteBuffer {
        let message = "The server has too many open connections; try again shortly."
        let body = #"{"error":{"code":"too_many_connections","message":"\#(message)","requestId":"\#(RequestID())"}}"#
        let head = [
            "HTTP/1.1 503 Service Unavailable", "Content-Type: application/json; charset=utf-8", "Content-Length: \(body.utf8.count)",
            "Retry-After: 1", "Cache-Control: no-store", "Connection: close",
        ]
        return allocator.buffer(string: head.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    // MARK: - Progress

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .opening, .closed:
            return
        case .waiting:
            phase = .readingHead
            closeIfStill(.head, after: TimeAmount(limits.headerTimeout), context: context)
        case .readingHead:
            break
        case .readingBody(var progress):
            if let since = progress.waitingSince {
                progress.waited = progress.waited + (context.eventLoop.now - since)
                progress.waitingSince = nil
                cancelDeadline()
            }
            progress.bytes += unwrapInboundIn(data).readableBytes
            if progress.bytes >= limits.bodyProgressBytes { progress = BodyProgress() }
            phase = .readingBody(progress)
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        switch phase {
        case .closed:
            return
        case .readingBody(var progress) where progress.waitingSince == nil:
            progress.waitingSince = context.eventLoop.now
            phase = .readingBody(progress)
            closeIfStill(.body, after: TimeAmount(limits.bodyProgressTimeout) - progress.waited, context: context)
        default:
            break
        }
        context.read()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgress else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch (progress, phase) {
        case (.headReceived, .readingHead), (.headReceived, .waiting):
            // `.waiting`: a pipelined request whose head came in the same read as the previous request's end.
            cancelDeadline()
            phase = .readingBody(BodyProgress())
        case (.requestEnded, .readingBody):
            cancelDeadline()
            phase = .waiting
        default:
            break
        }
        promise?.succeed()
    }

    // MARK: - Deadlines

    /// What a deadline is for.
    private enum Stage: String {
        case head = "request headers too slow"
        case body = "request body too slow"
    }

    /// Closes the connection after `delay` unless the phase has moved on from `stage` by then (or, for the body,
    /// data has come since the wait began).
    private func closeIfStill(_ stage: Stage, after delay: TimeAmount, context: ChannelHandlerContext) {
        cancelDeadline()
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: max(delay, .zero)) {
            let (handler, context) = bound.value
            handler.deadline = nil
            switch (stage, handler.phase) {
            case (.head, .readingHead): break
            case (.body, .readingBody(let progress)) where progress.waitingSince != nil: break
            default: return
            }
            handler.logger.debug("closing a slow connection", metadata: ["connection.reason": "\(stage.rawValue)"])
            handler.phase = .closed
            context.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
