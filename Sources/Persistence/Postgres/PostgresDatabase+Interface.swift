/// The PostgreSQL engine answers the whole persistence interface.
extension PostgresDatabase: DocumentIndex, UserDirectory, SessionStore, CareTeams, AuditLog, DatabaseHealth {}
