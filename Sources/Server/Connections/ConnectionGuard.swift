import Hummingbird
import Logging
import NIOCore

/// The first handler of every connection: it admits the connection under ``ConnectionLimits/maxConnections`` and
/// closes it when it sits idle or the client is too slow with a request's headers or body.
///
/// It works on raw bytes, before the HTTP codec, so it sees every byte arrive and every read the server asks for;
/// ``RequestProgressObserver``, after the codec, tells it when a request's headers are complete, when the request
/// ends and when a response ends. The clock is the event loop's, so tests drive it with an embedded loop.
///
/// - Idle: with no request under way and no response unfinished, the next request's first byte must come within
///   ``ConnectionLimits/idleTimeout`` (after the connection opens, and after each response).
/// - Headers: a request's headers must be complete within ``ConnectionLimits/headerTimeout`` of its first byte,
///   however slowly the bytes keep coming.
/// - Body: while the server waits for body bytes, each ``ConnectionLimits/bodyProgressBytes`` must arrive within
///   ``ConnectionLimits/bodyProgressTimeout``. Waiting is counted from a read the server asks for until data comes,
///   so the time the server itself spends before reading on (streaming to storage) never counts against the client.
/// - Over the cap, the connection is answered `503 too_many_connections` and closed before anything is read.
///
/// A response the client is slow to take is not timed here.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Where the request being received stands.
    private enum Request {
        /// None under way: the next byte starts one.
        case none
        /// Bytes of a request have arrived, its headers are not complete.
        case head
        /// The headers are complete, the body (possibly empty) has not ended.
        case body(BodyProgress)
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

    /// What a deadline is for; its raw value is the reason logged when it closes the connection.
    private enum Stage: String {
        case idle = "idle"
        case head = "request headers too slow"
        case body = "request body too slow"
    }

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private let logger: Logger
    /// Whether ``counter`` counts this connection (until it closes).
    private var admitted = false
    /// Refused over the cap, or closed by a deadline: nothing more is read.
    private var closed = false
    private var request = Request.none
    /// Requests whose responses have not ended: a connection with one is busy, not idle.
    private var unansweredRequests = 0
    /// The deadline of the current stage.
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
        closed = true
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func admit(context: ChannelHandlerContext) {
        guard !admitted, !closed else { return }
        guard counter.admit() else {
            closed = true
            logger.debug("connection refused: too many open connections", metadata: ["connections.limit": "\(counter.limit)"])
            context.writeAndFlush(wrapOutboundOut(Self.refusal(allocator: context.channel.allocator)), promise: nil)
            context.close(promise: nil)
            return
        }
        admitted = true
        closeIfStill(.idle, after: TimeAmount(limits.idleTimeout), context: context)
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
        guard admitted, !closed else { return }
        switch request {
        case .none:
            request = .head
            closeIfStill(.head, after: TimeAmount(limits.headerTimeout), context: context)
        case .head:
            break
        case .body(var progress):
            if let since = progress.waitingSince {
                progress.waited = progress.waited + (context.eventLoop.now - since)
                progress.waitingSince = nil
                cancelDeadline()
            }
            progress.bytes += unwrapInboundIn(data).readableBytes
            if progress.bytes >= limits.bodyProgressBytes { progress = BodyProgress() }
            request = .body(progress)
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard !closed else { return }
        if case .body(var progress) = request, progress.waitingSince == nil {
            progress.waitingSince = context.eventLoop.now
            request = .body(progress)
            closeIfStill(.body, after: TimeAmount(limits.bodyProgressTimeout) - progress.waited, context: context)
        }
        context.read()
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let progress = event as? RequestProgress else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch progress {
        case .headReceived:
            // Also from `.none`: a pipelined request whose head came in the same read as the previous request's end.
            cancelDeadline()
            request = .body(BodyProgress())
            unansweredRequests += 1
        case .requestEnded:
            cancelDeadline()
            request = .none
            startIdleIfIdle(context: context)
        case .responseEnded:
            unansweredRequests = max(0, unansweredRequests - 1)
            startIdleIfIdle(context: context)
        }
        promise?.succeed()
    }

    // MARK: - Deadlines

    private var isIdle: Bool {
        if case .none = request { return unansweredRequests == 0 }
        return false
    }

    private func startIdleIfIdle(context: ChannelHandlerContext) {
        if isIdle { closeIfStill(.idle, after: TimeAmount(limits.idleTimeout), context: context) }
    }

    /// Closes the connection after `delay` unless it has moved on from `stage` by then (for the body: unless data has
    /// come since the wait began). Replaces the previous deadline.
    private func closeIfStill(_ stage: Stage, after delay: TimeAmount, context: ChannelHandlerContext) {
        cancelDeadline()
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: max(delay, .zero)) {
            let (handler, context) = bound.value
            handler.deadline = nil
            guard handler.isStill(stage) else { return }
            handler.logger.debug("closing a connection", metadata: ["connection.reason": "\(stage.rawValue)"])
            handler.closed = true
            context.close(promise: nil)
        }
    }

    private func isStill(_ stage: Stage) -> Bool {
        switch (stage, request) {
        case (.idle, _): isIdle
        case (.head, .head): true
        case (.body, .body(let progress)): progress.waitingSince != nil
        default: false
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension ConnectionGuard: Sendable {}
