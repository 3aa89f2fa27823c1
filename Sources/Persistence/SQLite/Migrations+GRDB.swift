import GRDB

extension Migrations {
    /// A GRDB migrator with one migration per file, each running its file's SQL in one transaction.
    var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for file in files {
            let sql = file.sql
            let identifier = file.identifier
            migrator.registerMigration(identifier) { db in
                do {
                    try db.execute(sql: sql)
                } catch {
                    throw MigrationError.migrationFailed(identifier: identifier, cause: "\(error)")
                }
            }
        }
        return migrator
    }
}
