import Foundation
import Logging

extension Logger {
    /// A command's logger: `LOG_LEVEL` from the environment when it names a level, else the command's own default
    /// (a command that prints its outcomes keeps the store's error lines out of them).
    static func command(_ label: String, defaultLevel: Logger.Level) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? defaultLevel
        return logger
    }
}
