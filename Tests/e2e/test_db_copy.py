"""`medvault db copy --from-sqlite PATH`: an install's SQLite database copied into the empty PostgreSQL database of
DATABASE_URL, its audit chain verified on arrival. Needs a PostgreSQL server (MEDVAULT_E2E_DATABASE_URL): it runs in
the e2e_postgres and e2e_nodes stages."""

from __future__ import annotations

from pathlib import Path

import pytest

import databases
from support import run_cli

pytestmark = pytest.mark.skipif(not databases.on_postgres(), reason="needs PostgreSQL (MEDVAULT_E2E_DATABASE_URL)")

SQLITE = {"DATABASE_URL": None}


def _sqlite_install(data: Path) -> None:
    """A SQLite install with users, a care team and their audit rows, made through the CLI."""
    for args, password in (
        (["--email", "admin@copy.e2e.test", "--role", "admin"], "Admin-Passw0rd-copy"),
        (["--email", "dr@copy.e2e.test", "--role", "provider"], "Dr-Passw0rd-copy"),
    ):
        result = run_cli(["user", "add", *args, "--password-stdin", "--data-dir", str(data)], env=SQLITE, input=password + "\n")
        assert result.returncode == 0, result.stderr + result.stdout
    added = run_cli(["careteam", "add", "--provider", "dr@copy.e2e.test", "--patient", "p-copy", "--data-dir", str(data)], env=SQLITE)
    assert added.returncode == 0, added.stderr + added.stdout
    assert databases.sqlite_path(data).exists()


def _copy(data: Path, target: Path) -> "subprocess.CompletedProcess[str]":  # noqa: F821
    url = databases.database_url(target)
    return run_cli(["db", "copy", "--from-sqlite", str(databases.sqlite_path(data)), "--data-dir", str(data)], env={"DATABASE_URL": url})


def test_copy_moves_users_care_teams_and_the_chain_and_verifies_it(tmp_path):
    data, target = tmp_path / "data", tmp_path / "target"
    _sqlite_install(data)
    copied = _copy(data, target)
    assert copied.returncode == 0, copied.stderr + copied.stdout
    assert "users: 2 row(s)" in copied.stdout and "care_team_members: 1 row(s)" in copied.stdout
    assert "audit chain intact: 3 rows verified" in copied.stdout, copied.stdout

    url = {"DATABASE_URL": databases.database_url(target)}
    listed = run_cli(["user", "list", "--data-dir", str(data)], env=url)
    assert "admin@copy.e2e.test" in listed.stdout and "dr@copy.e2e.test" in listed.stdout, listed.stderr
    team = run_cli(["careteam", "list", "--data-dir", str(data)], env=url)
    assert "p-copy" in team.stdout, team.stderr + team.stdout
    verify = run_cli(["audit", "verify", "--data-dir", str(data)], env=url)
    assert verify.returncode == 0 and "intact: 3 rows" in verify.stdout, verify.stderr + verify.stdout

    again = _copy(data, target)
    assert again.returncode != 0 and "not empty" in again.stderr, again.stderr + again.stdout
    assert run_cli(["audit", "verify", "--data-dir", str(data)], env=url).returncode == 0


def test_copy_needs_database_url_and_an_existing_file(tmp_path):
    data = tmp_path / "data"
    _sqlite_install(data)
    no_url = run_cli(["db", "copy", "--from-sqlite", str(databases.sqlite_path(data)), "--data-dir", str(data)], env=SQLITE)
    assert no_url.returncode != 0 and "DATABASE_URL" in no_url.stderr, no_url.stderr
    missing = run_cli(
        ["db", "copy", "--from-sqlite", str(tmp_path / "nothing.sqlite"), "--data-dir", str(data)],
        env={"DATABASE_URL": databases.database_url(tmp_path / "target")},
    )
    assert missing.returncode != 0 and "--from-sqlite" in missing.stderr, missing.stderr


def test_a_tampered_chain_is_reported_and_the_copy_exits_non_zero(tmp_path):
    data = tmp_path / "data"
    _sqlite_install(data)
    import sqlite3

    with sqlite3.connect(databases.sqlite_path(data)) as connection:
        connection.execute("DROP TRIGGER audit_events_no_update")
        connection.execute("UPDATE audit_events SET actor_id = 'someone-else' WHERE sequence = 2")
    copied = _copy(data, tmp_path / "target")
    assert copied.returncode == 1, copied.stderr + copied.stdout
    assert "audit chain broken at sequence 2" in copied.stdout, copied.stdout
