import Foundation

/// Which engine holds medvault's database, and where: chosen once, at start-up, from `DATABASE_URL`.
///
/// Without `DATABASE_URL` the database is the embedded SQLite file under the data directory, as it always was;
/// with it, the PostgreSQL database it names, which several nodes can share. The server and every subcommand
/// resolve it the same way, so `medvault user add` writes where `medvault serve` reads.
package enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// The SQLite file at `path` (WAL mode).
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresLocation)

    /// PostgreSQL when `databaseURL` is set (and not empty), else SQLite at `sqlitePath`.
    package init(databaseURL: String?, sqlitePath: String) throws(PostgresLocationError) {
        if let databaseURL, !databaseURL.isEmpty {
            self = .postgres(try PostgresLocation(url: databaseURL))
        } else {
            self = .sqlite(path: sqlitePath)
        }
    }

    /// The engine's name, `sqlite` or `postgres`: for logs, `/readyz`, and the engine's folder of migrations.
    package var engine: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        }
    }

    /// The engine's migrations: the folder named after it in `root` (`migrations/sqlite/`, `migrations/postgres/`).
    package func migrationsDirectory(in root: URL) -> URL {
        root.appendingPathComponent(engine, isDirectory: true)
    }

    /// The engine and where its data is, without secrets (a PostgreSQL password never shows).
    package var description: String {
        switch self {
        case .sqlite(let path): "SQLite at \(path)"
        case .postgres(let location): "PostgreSQL at \(location)"
        }
    }
}
