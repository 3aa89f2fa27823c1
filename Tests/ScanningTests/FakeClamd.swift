import Foundation
import NIOCore
import NIOPosix
import Synchronization

@testable import Scanning

/// A stand-in for clamd on a unix socket (or TCP on loopback) for the protocol tests: it reads a command up to its
/// NUL and, for `zINSTREAM`, the length-prefixed frames up to the zero length, records every byte each connection
/// sent, and answers as the test scripts it, malformed answers and misbehaviour included.
final class FakeClamd: Sendable {
    /// How the fake answers one connection, chosen from the command (`zPING`, `zVERSION`, `zINSTREAM`).
    enum Behaviour: Sendable, Equatable {
        /// Reads the command (and the whole stream), then writes `bytes` and closes.
        case answer([UInt8])
        /// Writes `bytes` and closes as soon as `afterBytes` bytes of stream content have arrived, as clamd does
        /// past its StreamMaxLength.
        case answerEarly([UInt8], afterBytes: Int)
        /// Reads everything, then closes without a word.
        case closeWithoutAnswer
        /// Reads everything and never answers.
        case silent
        /// Stops reading once the command has arrived, so that the sender's writes back up.
        case stopReading
    }

    let address: ClamdAddress
    private let channel: any Channel
    private let recorder: Recorder
    private let directory: URL?

    /// Every connection's bytes so far, in the order the connections were made.
    var connections: [[UInt8]] { recorder.connections }

    private init(address: ClamdAddress, channel: any Channel, recorder: Recorder, directory: URL?) {
        self.address = address
        self.channel = channel
        self.recorder = recorder
        self.directory = directory
    }

    /// Starts a fake that answers each connection as `behaviour` says for its command.
    static func start(tcp: Bool = false, _ behaviour: @escaping @Sendable (String) -> Behaviour) async throws -> FakeClamd {
        let recorder = Recorder()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let index = recorder.open()
                    try channel.pipeline.syncOperations.addHandler(FakeClamdHandler(index: index, recorder: recorder, behaviour: behaviour))
                }
            }
        if tcp {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
            let port = channel.localAddress?.port ?? 0
            return FakeClamd(address: .tcp(host: "127.0.0.1", port: port), channel: channel, recorder: recorder, directory: nil)
        }
        let directory = URL(fileURLWithPath: "/tmp/fake-clamd-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("clamd.sock").path
        let channel = try await bootstrap.bind(unixDomainSocketPath: path).get()
        return FakeClamd(address: .unix(path: path), channel: channel, recorder: recorder, directory: directory)
    }

    /// Starts a fake that gives every connection the same `behaviour`.
    static func start(tcp: Bool = false, always behaviour: Behaviour) async throws -> FakeClamd {
        try await start(tcp: tcp) { _ in behaviour }
    }

    func stop() async {
        try? await channel.close()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// The bytes of each connection, shared between the event loops.
    final class Recorder: Sendable {
        private let state = Mutex<[[UInt8]]>([])

        var connections: [[UInt8]] { state.withLock { $0 } }

        func open() -> Int {
            state.withLock { connections in
                connections.append([])
                return connections.count - 1
            }
        }

        func append(_ bytes: some Sequence<UInt8>, to index: Int) {
            state.withLock { $0[index] += bytes }
        }
    }
}

/// One connection of ``FakeClamd``: parses what arrives and acts on it.
private final class FakeClamdHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case command
        case frames(remainingInFrame: Int?)
        case done
    }

    private let index: Int
    private let recorder: FakeClamd.Recorder
    private let behaviour: @Sendable (String) -> FakeClamd.Behaviour
    private var chosen: FakeClamd.Behaviour?
    private var phase = Phase.command
    private var pending: [UInt8] = []
    private var contentBytes = 0
    private var answered = false

    init(index: Int, recorder: FakeClamd.Recorder, behaviour: @escaping @Sendable (String) -> FakeClamd.Behaviour) {
        self.index = index
        self.recorder = recorder
        self.behaviour = behaviour
    }

    func channelActive(context: ChannelHandlerContext) {
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(unwrapInboundIn(data).readableBytesView)
        recorder.append(bytes, to: index)
        pending += bytes
        advance(context: context)
        guard !answered else { return }
        if case .stopReading = chosen { return }
        context.read()
    }

    private func advance(context: ChannelHandlerContext) {
        while !answered {
            switch phase {
            case .command:
                guard let nul = pending.firstIndex(of: 0) else { return }
                let command = String(decoding: pending[..<nul], as: UTF8.self)
                pending.removeFirst(nul + 1)
                chosen = behaviour(command)
                phase = command == "zINSTREAM" ? .frames(remainingInFrame: nil) : .done
            case .frames(nil):
                guard pending.count >= 4 else { return }
                let length = pending.prefix(4).reduce(0) { $0 << 8 | Int($1) }
                pending.removeFirst(4)
                phase = length == 0 ? .done : .frames(remainingInFrame: length)
            case .frames(let remaining?):
                let taken = min(remaining, pending.count)
                guard taken > 0 else { return }
                pending.removeFirst(taken)
                contentBytes += taken
                phase = .frames(remainingInFrame: remaining == taken ? nil : remaining - taken)
                if case .answerEarly(let answer, let limit) = chosen, contentBytes >= limit {
                    reply(answer, context: context)
                }
            case .done:
                act(context: context)
                return
            }
        }
    }

    private func act(context: ChannelHandlerContext) {
        switch chosen {
        case .answer(let answer), .answerEarly(let answer, _): reply(answer, context: context)
        case .closeWithoutAnswer:
            answered = true
            context.close(promise: nil)
        case .silent, .stopReading, nil: break
        }
    }

    private func reply(_ answer: [UInt8], context: ChannelHandlerContext) {
        answered = true
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: answer)), promise: nil)
        context.close(promise: nil)
    }
}
