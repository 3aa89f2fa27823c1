/// The PostgreSQL engine answers the whole persistence interface.
extension PostgreSQLDatabase: AppDatabase {}
