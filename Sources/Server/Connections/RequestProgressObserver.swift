import NIOCore
import NIOHTTPTypes

/// Where the exchange on a connection stands, as ``RequestProgressObserver`` reports it to ``ConnectionGuard``.
enum RequestProgress: Sendable {
    /// A request's headers are complete: its body (if any) comes next.
    case headReceived
    /// The request has ended.
    case requestEnded
    /// A response has been written to its end.
    case responseEnded
}

/// Watches the HTTP parts of a connection, both ways, and tells ``ConnectionGuard`` when a request's head is complete,
/// when the request ends and when its response ends.
///
/// The guard sits before the HTTP codec, on raw bytes, so that it sees bytes arrive (and the reads the server asks
/// for) but not where one request's headers end; this handler sits after the codec and sends that news back towards
/// the front of the pipeline as user outbound events, which the guard consumes.
final class RequestProgressObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestProgress.headReceived, promise: nil)
        case .body: break
        case .end: context.triggerUserOutboundEvent(RequestProgress.requestEnded, promise: nil)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let ended = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if ended { context.triggerUserOutboundEvent(RequestProgress.responseEnded, promise: nil) }
    }
}
