import PostgresNIO
import _ConnectionPoolModule

extension PostgreSQLDatabase {
    /// PostgreSQL's and postgres-nio's errors as ``PersistenceError`` (a ``PersistenceError`` passes through).
    ///
    /// Whatever means "the server cannot be reached now" becomes ``PersistenceError/unavailable``: a connection
    /// that cannot be made or was lost, the pool giving up, and the server's own connection-class errors (SQLSTATE
    /// class 08), shutdown (57P01–57P03) and resource exhaustion (class 53) but a full disk (53100, which is
    /// ``PersistenceError/storageFull``, as on SQLite). The cause keeps the SQLSTATE and the
    /// server's message, never its detail line, which can quote row values.
    static func translate(_ error: any Error) -> PersistenceError {
        switch error {
        case let error as PersistenceError:
            return error
        case let error as PSQLError:
            return translate(error)
        case is ConnectionPoolError:
            return PersistenceError.unavailable.with(cause: "connection pool: \(error)")
        case is CancellationError:
            return PersistenceError.unavailable.with(cause: "cancelled while waiting for the database")
        case let error as PostgresDecodingError:
            return PersistenceError.database.with(cause: "cannot decode column \(error.columnName): \(error.code)")
        default:
            return PersistenceError.database.with(cause: "\(type(of: error))")
        }
    }

    private static func translate(_ error: PSQLError) -> PersistenceError {
        guard error.code == .server, let sqlState = error.serverInfo?[.sqlState] else {
            return PersistenceError.unavailable.with(cause: "connection: \(error.code)")
        }
        let cause = "SQLSTATE \(sqlState): \(error.serverInfo?[.message] ?? "")"
        switch sqlState {
        case "23505":
            return PersistenceError.keyConflict.with(cause: cause)
        case "23502", "23503", "23514", "23P01", "22021":
            return PersistenceError.constraintViolation.with(cause: cause)
        case "53100":
            return PersistenceError.storageFull.with(cause: cause)
        case "57P01", "57P02", "57P03":
            return PersistenceError.unavailable.with(cause: cause)
        case _ where sqlState.hasPrefix("08") || sqlState.hasPrefix("53"):
            return PersistenceError.unavailable.with(cause: cause)
        default:
            return PersistenceError.database.with(cause: cause)
        }
    }
}
