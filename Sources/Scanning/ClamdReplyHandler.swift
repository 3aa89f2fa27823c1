import NIOCore

/// Collects clamd's one answer on a connection, the bytes before the first NUL, and completes `reply` with it; or
/// fails `reply` when the connection ends without one. Outside an `IDSESSION` clamd answers a command once, then
/// closes the connection.
final class ClamdReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let reply: EventLoopPromise<String>
    private var received: [UInt8] = []
    private var completed = false

    init(reply: EventLoopPromise<String>) {
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !completed else { return }
        let buffer = unwrapInboundIn(data)
        let bytes = buffer.readableBytesView
        if let nul = bytes.firstIndex(of: 0) {
            received += bytes[..<nul]
            guard received.count <= ClamdReply.maximumBytes, let answer = String(validating: received, as: UTF8.self) else {
                complete(.failure(ScanError.malformedReply("an answer that is too long or not UTF-8")), context: context)
                return
            }
            complete(.success(answer), context: context)
        } else {
            received += bytes
            if received.count > ClamdReply.maximumBytes {
                complete(.failure(ScanError.malformedReply("more than \(ClamdReply.maximumBytes) bytes without a NUL")), context: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(closedWithoutAnswer()), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(ScanError.connectionLost("\(error)")), context: context)
    }

    /// clamd ends a connection whose client sent nothing for `ReadTimeout` seconds with a newline-terminated
    /// `COMMAND READ TIMED OUT` (clamd/server-th.c), whatever the command's delimiter.
    private func closedWithoutAnswer() -> ScanError {
        if received.isEmpty { return .connectionLost("the connection closed without an answer") }
        if received.starts(with: Array("COMMAND READ TIMED OUT".utf8)) {
            return .connectionLost("clamd stopped waiting for data (its ReadTimeout passed)")
        }
        return .malformedReply("an answer of \(received.count) bytes without its closing NUL")
    }

    private func complete(_ result: Result<String, any Error>, context: ChannelHandlerContext) {
        guard !completed else { return }
        completed = true
        reply.completeWith(result)
        context.close(promise: nil)
    }
}
