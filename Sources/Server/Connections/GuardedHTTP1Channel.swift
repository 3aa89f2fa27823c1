import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel inside medvault's connection limits: ``ConnectionGuard`` first in every
/// connection's pipeline (raw bytes) and ``RequestProgressObserver`` after the HTTP codec.
///
/// Hummingbird's own idle timeout stays off: it also fires while a request's body waits for the server (a slow S3
/// part upload holds reads back), which would cut a healthy upload; the guard times idleness and bodies itself.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limits: ConnectionLimits
    let counter: ConnectionCounter

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, counter: ConnectionCounter) {
        self.http1 = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [RequestProgressObserver()])
        )
        self.limits = limits
        self.counter = counter
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let added = channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionGuard(limits: limits, counter: counter, logger: logger))
        }
        return added.flatMap { http1.setup(channel: channel, logger: logger) }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 within `limits`; `counter` counts the connections of every child channel the server opens.
    static func http1(limits: ConnectionLimits, counter: ConnectionCounter) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in GuardedHTTP1Channel(responder: responder, limits: limits, counter: counter) }
    }
}
