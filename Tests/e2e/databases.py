"""Which database engine the suite runs medvault on, and an auditor's (or an attacker's) direct access to it.

`MEDVAULT_E2E_DATABASE_URL` picks it:

- unset (default): SQLite, the file `medvault.sqlite` under each server's data directory.
- a PostgreSQL URL whose role may create databases (scripts/postgres.sh writes one): every data directory gets
  a database of its own on that server, named after the directory, and every server and CLI call made for
  that directory gets its `DATABASE_URL`. The databases are dropped when the session ends.

Tests read rows with `query` and write with `execute` in SQL that both engines accept (`?` placeholders);
`tamper` first removes the append-only guards, as an attacker with direct access would.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ENGINES = ("sqlite", "postgres")
_created: set[str] = set()


def base_url() -> str | None:
    return os.environ.get("MEDVAULT_E2E_DATABASE_URL") or None


def selected_database() -> str:
    """`postgres` when MEDVAULT_E2E_DATABASE_URL is set, else `sqlite`."""
    return "postgres" if base_url() else "sqlite"


def on_postgres() -> bool:
    return selected_database() == "postgres"


def sqlite_path(data_dir: Path) -> Path:
    return Path(data_dir) / "medvault.sqlite"


def database_name(data_dir: Path) -> str:
    """The PostgreSQL database of a data directory: a name derived from its absolute path."""
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:24]
    return f"medvault_e2e_{digest}"


def _url_with_database(name: str) -> str:
    parts = urlsplit(base_url() or "")
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _connect(url: str):
    import psycopg  # only the PostgreSQL run needs it
    from psycopg.rows import dict_row

    return psycopg.connect(url, autocommit=True, row_factory=dict_row)


def database_url(data_dir: Path) -> str:
    """The DATABASE_URL of `data_dir`'s database, created (empty) the first time it is asked for."""
    name = database_name(data_dir)
    if name not in _created:
        with _connect(base_url()) as admin:
            exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{name}"')
        _created.add(name)
    return _url_with_database(name)


def environment(data_dir: Path) -> dict[str, str]:
    """What a server or CLI call for `data_dir` needs in its environment to use the selected engine."""
    return {"DATABASE_URL": database_url(data_dir)} if on_postgres() else {}


def copy_database(source_dir: Path, target_dir: Path) -> None:
    """Gives `target_dir` a copy of `source_dir`'s database (SQLite: copying the directory did it already).
    On PostgreSQL the source must have no connections (its server stopped)."""
    if not on_postgres():
        return
    source, target = database_name(source_dir), database_name(target_dir)
    database_url(source_dir)
    with _connect(base_url()) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    _created.add(target)


def _placeholders(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


def query(data_dir: Path, sql: str, params: tuple = (), url: str | None = None) -> list[dict]:
    """Rows of `sql` (with `?` placeholders) read from `data_dir`'s database (or the PostgreSQL database at `url`, for
    servers given a DATABASE_URL of their own), as dicts."""
    if on_postgres():
        with _connect(url or database_url(data_dir)) as connection:
            return connection.execute(_placeholders(sql), params).fetchall()
    connection = sqlite3.connect(f"file:{sqlite_path(data_dir)}?mode=ro", uri=True, timeout=10)
    try:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def execute(data_dir: Path, sql: str, params: tuple = (), url: str | None = None) -> int:
    """Runs one writing statement (with `?` placeholders) in `data_dir`'s database (or at `url`); returns the rows
    changed. Raises the driver's error (sqlite3.DatabaseError, psycopg.Error) when the database refuses it."""
    if on_postgres():
        with _connect(url or database_url(data_dir)) as connection:
            return connection.execute(_placeholders(sql), params).rowcount
    connection = sqlite3.connect(sqlite_path(data_dir), timeout=10)
    try:
        with connection:
            return connection.execute(sql, params).rowcount
    finally:
        connection.close()


def refused_errors() -> tuple[type[BaseException], ...]:
    """The errors the driver raises when the database refuses a statement."""
    if on_postgres():
        import psycopg

        return (psycopg.Error,)
    return (sqlite3.DatabaseError,)


def tamper(data_dir: Path, *statements) -> None:
    """What an attacker with direct access to the database does: remove the audit trail's append-only guards
    (SQLite: drop its triggers; PostgreSQL: disable the user triggers of the trail and of its head), then run
    `statements` (each SQL text with `?` placeholders, or a (sql, params) pair) in one transaction."""
    pairs = [(each, ()) if isinstance(each, str) else each for each in statements]
    if on_postgres():
        with _connect(database_url(data_dir)) as connection:
            with connection.transaction():
                connection.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
                connection.execute("ALTER TABLE audit_chain_head DISABLE TRIGGER USER")
                for sql, params in pairs:
                    connection.execute(_placeholders(sql), params)
        return
    connection = sqlite3.connect(sqlite_path(data_dir), timeout=10)
    try:
        with connection:
            names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")]
            assert names, "audit_events should have append-only triggers"
            for name in names:
                connection.execute(f'DROP TRIGGER "{name}"')
            for sql, params in pairs:
                connection.execute(sql, params)
    finally:
        connection.close()


def set_highest_issued_sql(sequence: int) -> str:
    """The statement that sets the highest audit sequence ever issued (what reveals a removed tail) to `sequence`:
    SQLite keeps it in `sqlite_sequence`, the PostgreSQL engine in the chain head."""
    if on_postgres():
        return f"UPDATE audit_chain_head SET highest_sequence = {int(sequence)}"
    return f"UPDATE sqlite_sequence SET seq = {int(sequence)} WHERE name = 'audit_events'"


def dump(data_dir: Path) -> str:
    """Everything the database holds, as SQL text: `sqlite3 .dump`, or `pg_dump`."""
    if on_postgres():
        command = ["pg_dump", "--no-owner", database_url(data_dir)]
    else:
        command = ["sqlite3", str(sqlite_path(data_dir)), ".dump"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def table_names(data_dir: Path) -> set[str]:
    """The tables of `data_dir`'s database."""
    if on_postgres():
        rows = query(data_dir, "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()")
    else:
        rows = query(data_dir, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row["name"] for row in rows}


def audit_trigger_names(data_dir: Path) -> set[str]:
    """The triggers on `audit_events` (its append-only guards among them)."""
    if on_postgres():
        rows = query(data_dir, "SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal")
    else:
        rows = query(data_dir, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
    return {row["name"] for row in rows}


def applied_migrations(data_dir: Path) -> list[str]:
    """The migrations the database records as applied, sorted (SQLite: GRDB's table; PostgreSQL: medvault's)."""
    table = "medvault_migrations" if on_postgres() else "grdb_migrations"
    return sorted(row["identifier"] for row in query(data_dir, f"SELECT identifier FROM {table}"))


def drop_created() -> None:
    """Drops every database this session created (PostgreSQL only), disconnecting whoever still uses them."""
    if not on_postgres() or not _created:
        return
    with _connect(base_url()) as admin:
        for name in sorted(_created):
            _drop(admin, name)
    _created.clear()


def _drop(admin, name: str) -> None:
    """Drops one database. PostgreSQL 15 refuses FORCE while an autovacuum worker (a superuser's process) is in the
    database ("must be a member of the role whose process is being terminated"); the worker leaves within moments,
    so the drop is tried again for a few seconds before the error stands."""
    import psycopg

    for attempt in range(20):
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 19:
                raise
            time.sleep(0.25)
