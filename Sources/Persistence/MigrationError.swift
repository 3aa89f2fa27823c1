/// Why the database could not be brought to the schema the code expects.
///
/// Start-up and `medvault migrate` stop on any of these rather than guess: the database holds medical
/// records and their audit trail, and is never erased or rebuilt to make a mismatch go away. The set of
/// cases is closed (it mirrors the rules of ``Migrations``), hence an enum.
package enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The migrations directory does not exist or cannot be listed.
    case directoryUnreadable(path: String, cause: String)
    /// The directory holds no `NNNN_name.sql` file, which means the wrong directory was given.
    case noMigrations(path: String)
    /// A `.sql` file is not named `NNNN_name.sql` (four digits, `_`, then lowercase letters, digits and `_`).
    case malformedFileName(String)
    /// Two files share a number, so their order would be ambiguous.
    case duplicateNumber(Int, files: [String])
    /// A migration file exists but could not be read as UTF-8 text.
    case unreadableFile(String, cause: String)
    /// The database has applied migrations this code does not have: a newer medvault migrated it.
    case unknownAppliedMigrations([String])
    /// A pending migration is numbered below one already applied; migrations only move forward.
    case outOfOrder(pending: String, applied: String)
    /// A migration's SQL failed; nothing of that migration was applied.
    case migrationFailed(identifier: String?, cause: String)

    /// A one-line explanation for logs and the command line (file names and identifiers, never row data).
    package var description: String {
        switch self {
        case .directoryUnreadable(let path, let cause):
            "cannot read migrations directory \(path): \(cause)"
        case .noMigrations(let path):
            "no NNNN_name.sql migration in \(path)"
        case .malformedFileName(let name):
            "migration file \(name) is not named NNNN_name.sql (name: a-z, 0-9, _)"
        case .duplicateNumber(let number, let files):
            "migration number \(number) is used by more than one file: \(files.joined(separator: ", "))"
        case .unreadableFile(let name, let cause):
            "cannot read migration file \(name): \(cause)"
        case .unknownAppliedMigrations(let identifiers):
            "the database has applied migrations this version does not have (\(identifiers.joined(separator: ", "))): "
                + "it was migrated by a newer medvault; run that version or restore a backup"
        case .outOfOrder(let pending, let applied):
            "pending migration \(pending) is numbered before the applied migration \(applied)"
        case .migrationFailed(let identifier, let cause):
            "migration \(identifier ?? "(unknown)") failed: \(cause)"
        }
    }
}
