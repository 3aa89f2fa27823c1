import NIOCore
import NIOHTTPTypes

/// Where the request on a connection stands, as ``RequestProgressObserver`` reports it to ``ConnectionGuard``.
enum RequestProgress: Sendable {
    /// The request's headers are complete: its body (if any) comes next.
    case headReceived
    /// The request has ended: the connection waits for the next one.
    case requestEnded
}

/// Watches the decoded HTTP parts of a connection and tells ``ConnectionGuard`` when a request's head is complete
/// and when the request ends.
///
/// The guard sits before the HTTP decoder, on raw bytes, so that it sees bytes arrive (and the reads the server asks
/// for) but not where one request's headers end; this handler sits after the decoder and sends that news back
/// towards the front of the pipeline as a user outbound event, which the guard consumes.
final class RequestProgressObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: context.triggerUserOutboundEvent(RequestProgress.headReceived, promise: nil)
        case .body: break
        case .end: context.triggerUserOutboundEvent(RequestProgress.requestEnded, promise: nil)
        }
        context.fireChannelRead(data)
    }
}
