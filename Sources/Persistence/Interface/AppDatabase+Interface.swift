/// The SQLite engine answers the persistence interface as it is.
extension AppDatabase: DocumentIndex, UserDirectory, SessionStore, CareTeams, AuditLog, UploadIntents, SignInThrottle {}
