"""The executable: `serve` (health, logging, SIGTERM), `migrate`, `audit verify`, request ids everywhere."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time

import requests

import samples
from support import API, REPO_ROOT, backend_environment, free_port, medvault_binary, query_db, run_cli, server_environment


def test_healthz(server):
    response = server.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers.get("X-Request-Id")


def test_start_up_is_logged_to_stdout(server):
    lines = [line for line in server.output("stdout").splitlines() if "listening on" in line.lower()]
    assert any(f"127.0.0.1:{server.port}" in line for line in lines), server.output()[-1000:]


def test_every_response_has_a_request_id(server):
    responses = [
        server.get("/healthz"),
        server.get(API + "/config"),
        server.get(API + "/list"),
        server.get(API + "/download"),
        server.get("/no/such/route"),
        server.upload([("a.txt", b"a\n")], entity_id="P-CLI"),
    ]
    ids = [r.headers.get("X-Request-Id") for r in responses]
    assert all(ids), [(r.request.path_url, r.status_code) for r in responses]
    assert len(set(ids)) == len(ids)


def test_sigterm_exits_cleanly_and_promptly(start_server):
    server = start_server(name="sigterm")
    server.upload_ok([("before-stop.pdf", samples.pdf())], entity_id="P-CLI")
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    code = server.process.wait(timeout=15)
    assert code == 0, server.output()[-2000:]
    assert time.monotonic() - started < 10


def test_data_survives_a_restart(start_server):
    server = start_server(name="restart")
    entry = server.upload_ok([("kept.pdf", samples.pdf("kept"))], entity_id="P-CLI")[0]
    assert server.stop() == 0
    server.start()
    assert server.download(entry["key"]).content == samples.pdf("kept")
    assert server.object_exists(entry["key"])
    assert [f["key"] for f in server.list_all(prefix="patients/P-CLI/")] == [entry["key"]]


def test_serve_takes_its_settings_from_the_environment(tmp_path):
    """HOST, PORT and MEDVAULT_DATA_DIR instead of flags; migrations found at ./migrations from the cwd."""
    port, data = free_port(), tmp_path / "env-data"
    backend_env, bucket = backend_environment("env-settings")
    env = server_environment(
        backend_env | {"HOST": "127.0.0.1", "PORT": str(port), "MEDVAULT_DATA_DIR": str(data), "MEDVAULT_MIGRATIONS_DIR": None}
    )
    process = subprocess.Popen([str(medvault_binary()), "serve"], cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    session = requests.Session()
    session.trust_env = False
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, "medvault exited during start-up"
            assert time.monotonic() < deadline, "medvault did not become healthy"
            try:
                if session.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.05)
        assert (data / "medvault.sqlite").is_file()
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=15)
        if bucket is not None:
            bucket.destroy()
        assert code == 0


def migration_names() -> list[str]:
    return sorted(p.stem for p in (REPO_ROOT / "migrations").glob("*.sql"))


def test_migrate_creates_the_schema_and_is_idempotent(tmp_path):
    data = tmp_path / "data"
    first = run_cli(["migrate", "--data-dir", str(data)])
    assert first.returncode == 0, first.stderr + first.stdout
    db = data / "medvault.sqlite"
    assert db.is_file()
    tables = {r["name"] for r in query_db(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"documents", "audit_events"} <= tables
    triggers = query_db(db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'")
    assert len(triggers) >= 2, "UPDATE and DELETE must both be refused"
    applied = sorted(r["identifier"] for r in query_db(db, "SELECT identifier FROM grdb_migrations"))
    assert applied == migration_names()

    second = run_cli(["migrate", "--data-dir", str(data)])
    assert second.returncode == 0, second.stderr + second.stdout
    assert sorted(r["identifier"] for r in query_db(db, "SELECT identifier FROM grdb_migrations")) == applied

    verify = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert verify.returncode == 0, verify.stderr + verify.stdout


def test_migrate_refuses_a_database_newer_than_the_code(tmp_path):
    data = tmp_path / "data"
    assert run_cli(["migrate", "--data-dir", str(data)]).returncode == 0
    older = tmp_path / "older-migrations"
    older.mkdir()
    for name in migration_names()[:-1]:
        shutil.copy(REPO_ROOT / "migrations" / f"{name}.sql", older)
    result = run_cli(["migrate", "--data-dir", str(data)], env={"MEDVAULT_MIGRATIONS_DIR": str(older)})
    assert result.returncode != 0
    assert result.stderr.strip()


def test_migrate_refuses_a_malformed_migration_name(tmp_path):
    bad = tmp_path / "migrations"
    shutil.copytree(REPO_ROOT / "migrations", bad)
    (bad / "add-things.sql").write_text("CREATE TABLE t (x INTEGER);\n")
    result = run_cli(["migrate", "--data-dir", str(tmp_path / "data")], env={"MEDVAULT_MIGRATIONS_DIR": str(bad)})
    assert result.returncode != 0
    assert result.stderr.strip()


def test_help_lists_the_subcommands():
    result = run_cli(["--help"])
    assert result.returncode == 0
    for command in ("serve", "migrate", "audit"):
        assert command in result.stdout
