/// The PostgreSQL engine answers the whole persistence interface.
extension PostgreSQLDatabase: DocumentIndex, UserDirectory, SessionStore, CareTeams, AuditLog, DatabaseHealth, UploadIntents, SignInThrottle {}
