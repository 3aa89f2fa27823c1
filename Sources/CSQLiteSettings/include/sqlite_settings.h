#ifndef MEDVAULT_SQLITE_SETTINGS_H
#define MEDVAULT_SQLITE_SETTINGS_H

/// Turns off SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`), which take one process-wide mutex on every
/// allocation SQLite makes. Takes effect only before SQLite initialises (the first connection opens); returns
/// SQLite's result code (`SQLITE_MISUSE` when it is too late). A C function because `sqlite3_config` is
/// variadic, and Swift cannot call variadic C functions.
int medvault_sqlite_disable_memory_statistics(void);

#endif
