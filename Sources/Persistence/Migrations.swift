import Foundation

/// The schema migrations found in a `migrations/` directory, validated and in the order they apply.
///
/// Files are named `NNNN_name.sql` (four digits, `_`, then lowercase letters, digits and `_`) and apply in
/// numeric order; each is one migration whose identifier is the file name without `.sql`, so the database records
/// exactly which files it has seen (SQLite: `grdb_migrations`, see ``MigrationRunner``; PostgreSQL:
/// `medvault_migrations`, see ``PostgresMigrator``). Each engine has its own folder of files. Hidden files,
/// directories and files not ending in `.sql` (a README) are ignored; a `.sql` file with any other name is refused,
/// as are two files with the same number, because a migration silently skipped or run out of order corrupts the
/// schema.
/// - important: Migrations only move forward and are never edited once landed (there is no down-migration).
package struct Migrations: Sendable {
    /// The migration files in the order they apply.
    package let files: [MigrationFile]

    /// Reads and validates every migration in `directory`, loading the SQL now so later runs see one snapshot.
    package init(directory: URL) throws(MigrationError) {
        let entries: [URL]
        do {
            // Resolved first: Foundation on Linux lists a symlinked directory as empty.
            entries = try FileManager.default.contentsOfDirectory(
                at: directory.resolvingSymlinksInPath(),
                includingPropertiesForKeys: [.isDirectoryKey],
                options: [.skipsHiddenFiles]
            )
        } catch {
            throw .directoryUnreadable(path: directory.path, cause: error.localizedDescription)
        }
        var files: [MigrationFile] = []
        for url in entries where url.lastPathComponent.lowercased().hasSuffix(".sql") {
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true { continue }
            let name = url.lastPathComponent
            guard let (number, identifier) = Self.parse(fileName: name) else { throw .malformedFileName(name) }
            let sql: String
            do {
                sql = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw .unreadableFile(name, cause: error.localizedDescription)
            }
            files.append(MigrationFile(number: number, identifier: identifier, sql: sql))
        }
        files.sort { ($0.number, $0.identifier) < ($1.number, $1.identifier) }
        for (previous, next) in zip(files, files.dropFirst()) where previous.number == next.number {
            let sameNumber = files.filter { $0.number == next.number }.map { "\($0.identifier).sql" }
            throw .duplicateNumber(next.number, files: sameNumber)
        }
        guard !files.isEmpty else { throw .noMigrations(path: directory.path) }
        self.files = files
    }

    /// The migration identifiers (file names without `.sql`) in the order they apply.
    package var identifiers: [String] { files.map(\.identifier) }

    /// Refuses a database this code cannot safely migrate, given the identifiers it has `applied`: one that has
    /// applied a migration the directory lacks (it is newer than the code), or one that would have to apply a
    /// migration numbered below an applied one (a file added in the past). Both engines' runners ask this first.
    package func checkCanMigrate(applied: Set<String>) throws(MigrationError) {
        let unknown = applied.subtracting(identifiers).sorted()
        guard unknown.isEmpty else { throw .unknownAppliedMigrations(unknown) }
        let appliedFiles = files.filter { applied.contains($0.identifier) }
        guard let lastApplied = appliedFiles.last else { return }
        if let early = files.first(where: { !applied.contains($0.identifier) && $0.number < lastApplied.number }) {
            throw .outOfOrder(pending: early.identifier, applied: lastApplied.identifier)
        }
    }

    /// Splits `NNNN_name.sql` into its number and identifier, or returns nil if the name breaks the rule.
    static func parse(fileName: String) -> (number: Int, identifier: String)? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let identifier = String(fileName.dropLast(4))
        let bytes = Array(identifier.utf8)
        guard bytes.count >= 6, bytes[4] == UInt8(ascii: "_") else { return nil }
        let digits = bytes[0..<4]
        let name = bytes[5...]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let allowed: (UInt8) -> Bool = { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") }
        guard name.allSatisfy(allowed), let number = Int(String(decoding: digits, as: UTF8.self)) else { return nil }
        return (number, identifier)
    }
}

/// One `NNNN_name.sql` file: its number, its identifier (the name without `.sql`) and its SQL.
package struct MigrationFile: Sendable, Equatable {
    /// The `NNNN` prefix, which orders migrations.
    package let number: Int
    /// The file name without `.sql`; what the database records once the migration is applied.
    package let identifier: String
    /// The statements to run, in one transaction.
    package let sql: String
}
