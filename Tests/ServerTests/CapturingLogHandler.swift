import Logging
import Synchronization

/// A log handler that keeps every record with its level and metadata, to check what the server logs.
struct CapturingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The message and every metadata value, for checking that something appears nowhere in the record.
        var text: String { ([message] + metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    /// Where the entries of every logger made with ``logger(_:)`` go.
    final class Box: Sendable {
        let entries = Mutex<[Entry]>([])
        var all: [Entry] { entries.withLock { $0 } }

        /// A logger at `.trace` that writes into this box.
        func logger(_ label: String) -> Logger {
            Logger(label: label) { _ in CapturingLogHandler(box: self) }
        }
    }

    let box: Box
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let entry = Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
        box.entries.withLock { $0.append(entry) }
    }
}
