import GRDB

/// Applies pending ``Migrations`` to a database, refusing databases that this code cannot safely touch.
///
/// Never erases anything (`eraseDatabaseOnSchemaChange` stays off: this is medical data). Before migrating it
/// checks that the database has applied no migration the directory lacks (the database is newer than the
/// code) and that no pending migration is numbered below an applied one (a file added in the past).
package enum MigrationRunner {
    /// Applies every pending migration in order and returns the identifiers it applied (empty if none).
    @discardableResult
    package static func migrate(_ writer: any DatabaseWriter, with migrations: Migrations) throws(MigrationError) -> [String] {
        let migrator = migrations.migrator
        do {
            let before = try writer.barrierWriteWithoutTransaction { db in
                let applied = try migrator.appliedIdentifiers(db)
                try migrations.checkCanMigrate(applied: applied)
                return applied
            }
            try migrator.migrate(writer)
            let after = try writer.read { db in try migrator.appliedIdentifiers(db) }
            return migrations.identifiers.filter { after.contains($0) && !before.contains($0) }
        } catch let error as MigrationError {
            throw error
        } catch {
            throw .migrationFailed(identifier: nil, cause: "\(error)")
        }
    }

    /// The identifiers of migrations in the directory that the database has not applied yet.
    package static func pendingMigrations(_ reader: any DatabaseReader, in migrations: Migrations) throws(MigrationError) -> [String] {
        do {
            let applied = try reader.read { db in try migrations.migrator.appliedIdentifiers(db) }
            return migrations.identifiers.filter { !applied.contains($0) }
        } catch {
            throw .migrationFailed(identifier: nil, cause: "\(error)")
        }
    }
}
