import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The ffmpeg program (Debian `ffmpeg`), run as a child process: never through a shell, with arguments that
/// medvault builds itself (``VideoCommand``; the only paths in them are its own temporary files), stdin closed, and a
/// deadline after which the process is killed.
///
/// - important: ffmpeg's own messages go to a file in the job's scratch directory and are logged at debug level
///   only: they can repeat the video's metadata (titles, locations, device names).
struct FFmpeg: Sendable {
    /// The executable.
    let executable: URL

    /// ffmpeg as found on `PATH` (`/usr/bin` when `PATH` is unset), or nil when it is not installed.
    static func locate(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> FFmpeg? {
        let directories = (path ?? "/usr/bin").split(separator: ":").map(String.init)
        for directory in directories where directory.hasPrefix("/") {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("ffmpeg")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return FFmpeg(executable: candidate) }
        }
        return nil
    }

    /// Runs ffmpeg with `arguments` and waits for it; its messages go to `messages` (created 0600). Throws
    /// ``VideoError/timedOut`` after killing it when it runs past `timeout` (or when the calling task is cancelled),
    /// and ``VideoError/failed(status:)`` when it ends with a non-zero status.
    func run(_ arguments: [String], timeout: Duration, messages: URL, logger: Logger) async throws(VideoError) {
        guard FileManager.default.createFile(atPath: messages.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let errorOutput = try? FileHandle(forWritingTo: messages)
        else { throw .scratch }
        defer { try? errorOutput.close() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorOutput
        let (exits, exited) = AsyncStream<Int32>.makeStream()
        let child = ChildProcess()
        process.terminationHandler = { finished in
            child.exited()
            exited.yield(finished.terminationStatus)
            exited.finish()
        }
        do {
            try process.run()
        } catch {
            throw .notStarted
        }
        child.started(id: process.processIdentifier)
        let deadline = Task {
            try await Task.sleep(for: timeout)
            child.terminate()
        }
        let status = await withTaskCancellationHandler {
            var status: Int32 = -1
            for await value in exits { status = value }
            return status
        } onCancel: {
            child.terminate()
        }
        deadline.cancel()
        if child.wasKilled { throw .timedOut }
        guard status == 0, process.terminationReason == .exit else {
            logger.debug("ffmpeg failed", metadata: ["status": "\(status)", "messages": "\(Self.tail(of: messages))"])
            throw .failed(status: status)
        }
    }

    /// The last lines ffmpeg wrote (at most 2 KiB), for a debug log line.
    private static func tail(of messages: URL) -> String {
        guard let data = try? Data(contentsOf: messages) else { return "" }
        return String(decoding: data.suffix(2048), as: UTF8.self)
    }
}

/// A child's process id, killed at most once and never after it has been reaped (its id may then belong to another
/// process): the termination handler marks it ended before anything else runs.
private final class ChildProcess: Sendable {
    private struct State {
        var id: Int32?
        var ended = false
        var killed = false
    }

    private let state = Mutex(State())

    /// Records the id of the child that has just started.
    func started(id: Int32) {
        state.withLock { $0.id = id }
    }

    /// Records that the child has ended and been reaped.
    func exited() {
        state.withLock { $0.ended = true }
    }

    /// Sends SIGKILL if the child is still running.
    func terminate() {
        state.withLock { state in
            guard let id = state.id, !state.ended, !state.killed else { return }
            state.killed = true
            _ = kill(id, SIGKILL)
        }
    }

    /// Whether ``terminate()`` sent the signal.
    var wasKilled: Bool { state.withLock { $0.killed } }
}
