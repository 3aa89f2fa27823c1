/// The SQLite engine answers the persistence interface as it is.
extension SQLiteDatabase: AppDatabase {}
