"""The executable: `serve` (health, logging, SIGTERM), `migrate`, `audit verify`, request ids everywhere, and the
identity commands (`user`, `careteam`, `token issue`) run against a running server's data directory."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import re

import pytest
import requests

import databases
import samples
from support import (
    API,
    AUTH_ENV,
    REPO_ROOT,
    Browser,
    assert_error,
    backend_environment,
    decode_token,
    free_port,
    launch_server,
    medvault_binary,
    parse_created_user,
    run_cli,
    server_environment,
)


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
        AUTH_ENV
        | backend_env
        | databases.environment(data)
        | {"HOST": "127.0.0.1", "PORT": str(port), "MEDVAULT_DATA_DIR": str(data), "MEDVAULT_MIGRATIONS_DIR": None}
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
        assert "documents" in databases.table_names(data)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=15)
        if bucket is not None:
            bucket.destroy()
        assert code == 0


def migrations_of_engine() -> Path:
    """The migrations of the engine under test: migrations/sqlite/ or migrations/postgres/."""
    return REPO_ROOT / "migrations" / databases.selected_database()


def migration_names() -> list[str]:
    return sorted(p.stem for p in migrations_of_engine().glob("*.sql"))


def test_migrate_creates_the_schema_and_is_idempotent(tmp_path):
    data = tmp_path / "data"
    first = run_cli(["migrate", "--data-dir", str(data)])
    assert first.returncode == 0, first.stderr + first.stdout
    assert {"documents", "audit_events"} <= databases.table_names(data)
    assert len(databases.audit_trigger_names(data)) >= 2, "UPDATE and DELETE must both be refused"
    applied = databases.applied_migrations(data)
    assert applied == migration_names()

    second = run_cli(["migrate", "--data-dir", str(data)])
    assert second.returncode == 0, second.stderr + second.stdout
    assert databases.applied_migrations(data) == applied

    verify = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert verify.returncode == 0, verify.stderr + verify.stdout


def test_migrate_refuses_a_database_newer_than_the_code(tmp_path):
    data = tmp_path / "data"
    assert run_cli(["migrate", "--data-dir", str(data)]).returncode == 0
    older = tmp_path / "older-migrations"
    (older / databases.selected_database()).mkdir(parents=True)
    for name in migration_names()[:-1]:
        shutil.copy(migrations_of_engine() / f"{name}.sql", older / databases.selected_database())
    result = run_cli(["migrate", "--data-dir", str(data)], env={"MEDVAULT_MIGRATIONS_DIR": str(older)})
    assert result.returncode != 0
    assert result.stderr.strip()


def test_migrate_refuses_a_malformed_migration_name(tmp_path):
    bad = tmp_path / "migrations"
    shutil.copytree(REPO_ROOT / "migrations", bad)
    (bad / databases.selected_database() / "add-things.sql").write_text("CREATE TABLE t (x INTEGER);\n")
    result = run_cli(["migrate", "--data-dir", str(tmp_path / "data")], env={"MEDVAULT_MIGRATIONS_DIR": str(bad)})
    assert result.returncode != 0
    assert result.stderr.strip()


def test_help_lists_the_subcommands():
    result = run_cli(["--help"])
    assert result.returncode == 0
    for command in ("serve", "migrate", "audit", "user", "careteam", "token"):
        assert command in result.stdout


# --- users, care teams and tokens -----------------------------------------------------------------


def _line_of(output: str, email: str) -> str:
    lines = [line for line in output.splitlines() if email in line]
    assert len(lines) == 1, f"{email} should be on exactly one line of:\n{output}"
    return lines[0]


def test_user_add_generates_a_password_and_prints_it_once(server):
    email = "generated@cli.e2e.test"
    result = server.cli(["user", "add", "--email", email, "--role", "provider", "--name", "Dr Generated"])
    assert result.returncode == 0, result.stderr + result.stdout
    created = parse_created_user(result.stdout)
    assert (created["role"], created["email"]) == ("provider", email)
    assert len(created["passwords"]) == 1, result.stdout
    password = created["passwords"][0]
    assert len(password) >= 12, "a generated password is long"
    assert result.stdout.count(password) == 1 and password not in result.stderr

    listed = server.cli(["user", "list"])
    assert listed.returncode == 0, listed.stderr
    assert password not in listed.stdout + listed.stderr, "never shown again"
    line = _line_of(listed.stdout, email)
    assert "provider" in line and created["id"] in line and re.search(r"\benabled\b", line), line
    assert password not in server.output(), "nor logged by the server"
    assert Browser(server).sign_in(email, password).status_code == 303, "the printed password is the account's"

    again = server.cli(["user", "add", "--email", email, "--role", "provider"])
    assert again.returncode != 0, "the e-mail is taken"


def test_user_add_reads_the_password_from_stdin(server):
    email = "stdin@cli.e2e.test"
    result = server.cli(["user", "add", "--email", email, "--role", "patient", "--patient-id", "pc-stdin", "--password-stdin"], input="Stdin-Passw0rd-cli\n")
    assert result.returncode == 0, result.stderr + result.stdout
    created = parse_created_user(result.stdout)
    assert created["passwords"] == [] and "Stdin-Passw0rd-cli" not in result.stdout
    assert Browser(server).sign_in(email, "Stdin-Passw0rd-cli").status_code == 303
    user = server.user(email)
    assert (user["id"], user["role"], user["patientId"]) == (created["id"], "patient", "pc-stdin")


def test_patient_without_patient_id_is_refused(server):
    email = "no-patient-id@cli.e2e.test"
    result = server.cli(["user", "add", "--email", email, "--role", "patient"])
    assert result.returncode != 0
    assert "patient-id" in result.stderr, f"the message names the missing option: {result.stderr!r}"
    assert email not in server.cli(["user", "list"]).stdout


def test_unknown_role_is_refused(server):
    result = server.cli(["user", "add", "--email", "root@cli.e2e.test", "--role", "root"])
    assert result.returncode != 0
    assert result.stderr.strip()


def test_user_list_shows_roles_and_entity_ids(server):
    patient_id = server.add_user("listed-patient@cli.e2e.test", "patient", patient_id="pc-listed", password="Listed-Passw0rd-1")
    provider_id = server.add_user("listed-provider@cli.e2e.test", "provider", provider_id="dr-listed", password="Listed-Passw0rd-1")
    listed = server.cli(["user", "list"])
    assert listed.returncode == 0, listed.stderr
    patient_line = _line_of(listed.stdout, "listed-patient@cli.e2e.test")
    assert "patient" in patient_line and patient_id in patient_line and "pc-listed" in patient_line
    provider_line = _line_of(listed.stdout, "listed-provider@cli.e2e.test")
    assert "provider" in provider_line and provider_id in provider_line and "dr-listed" in provider_line
    assert "admin" in _line_of(listed.stdout, server.admin_email)
    assert "Listed-Passw0rd-1" not in listed.stdout and "$2" not in listed.stdout, "no passwords, no hashes"


def test_user_disable_refuses_their_tokens(server):
    email = "disabled@cli.e2e.test"
    server.add_user(email, "patient", patient_id="pc-disabled", password="Disabled-Passw0rd-1")
    token = server.issue_token(email)
    assert server.list(auth=token).status_code == 200
    result = server.cli(["user", "disable", "--email", email])
    assert result.returncode == 0, result.stderr + result.stdout
    assert re.search(r"\bdisabled\b", _line_of(server.cli(["user", "list"]).stdout, email))
    assert_error(server.list(auth=token), 401, "invalid_token")
    assert Browser(server).sign_in(email, "Disabled-Passw0rd-1").status_code == 401
    assert server.cli(["user", "disable", "--email", "nobody@cli.e2e.test"]).returncode != 0


def test_careteam_add_list_remove(server):
    provider = "team@cli.e2e.test"
    server.add_user(provider, "provider", password="Team-Passw0rd-1")
    document = server.upload_ok([("team.txt", b"care team\n")], category="other", entity_id="pc-team")[0]
    token = server.token_for(provider)
    assert_error(server.download(document["key"], auth=token), 403, "break_glass_required")

    added = server.cli(["careteam", "add", "--provider", provider, "--patient", "pc-team"])
    assert added.returncode == 0, added.stderr + added.stdout
    line = _line_of(server.cli(["careteam", "list"]).stdout, provider)
    assert "pc-team" in line
    assert server.download(document["key"], auth=token).status_code == 200, "the care team applies at once"
    members = server.get("/api/v2/careteams").json()["members"]
    assert any(m["providerEmail"] == provider and m["patientId"] == "pc-team" for m in members)

    removed = server.cli(["careteam", "remove", "--provider", provider, "--patient", "pc-team"])
    assert removed.returncode == 0, removed.stderr + removed.stdout
    assert provider not in server.cli(["careteam", "list"]).stdout
    assert_error(server.download(document["key"], auth=token), 403, "break_glass_required")
    rows = server.query("SELECT action FROM audit_events WHERE action IN ('careteam.add', 'careteam.remove')")
    assert {r["action"] for r in rows} == {"careteam.add", "careteam.remove"}, "care-team changes are audited"


def test_token_issue_prints_a_jwt_the_server_accepts(server):
    email = "token@cli.e2e.test"
    user_id = server.add_user(email, "patient", patient_id="pc-token", password="Token-Passw0rd-1")
    result = server.cli(["token", "issue", "--email", email, "--ttl", "120"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("\n") and len(result.stdout.splitlines()) == 1, f"only the JWT: {result.stdout!r}"
    token = result.stdout.strip()
    claims = decode_token(token)
    assert claims["sub"] in (user_id, email)
    assert (claims["role"], claims["patient_id"]) == ("patient", "pc-token")
    assert abs(claims["exp"] - claims["iat"] - 120) <= 1
    assert abs(claims["iat"] - time.time()) < 60
    response = server.list(auth=token)
    assert response.status_code == 200, response.text
    row = server.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["actor_id"], row["actor_role"]) == (user_id, "patient")

    default = decode_token(server.issue_token(server.admin_email))
    assert abs(default["exp"] - default["iat"] - 3600) <= 1, "an hour by default"
    assert "patient_id" not in default or default["patient_id"] is None


def test_token_issue_for_an_unknown_user_fails(server):
    result = server.cli(["token", "issue", "--email", "nobody@cli.e2e.test"])
    assert result.returncode != 0
    assert result.stdout.strip() == ""


# --- a private data directory -----------------------------------------------------------------------


def serve_until_exit(data, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """`medvault serve` on `data`, expected to refuse to start: its exit code and output."""
    try:
        return run_cli(["serve", "--host", "127.0.0.1", "--port", str(free_port()), "--data-dir", str(data)], env=AUTH_ENV, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"medvault started serving from {data} instead of refusing it")


def test_a_data_directory_others_can_read_is_refused(tmp_path):
    """A data directory others can read exposes the database and the keys in it: start-up fails, naming the
    directory and the fix, and nothing is created in it. (Group access is refused too.)"""
    for mode in (0o755, 0o750, 0o701):
        data = tmp_path / f"data-{mode:o}"
        data.mkdir()
        os.chmod(data, mode)
        result = serve_until_exit(data)
        assert result.returncode != 0, f"medvault served from a data directory with mode {mode:o}"
        assert f"The data directory {data} has mode {mode:o}" in result.stderr, result.stderr
        assert f"chmod 700 {data}" in result.stderr, result.stderr
        assert list(data.iterdir()) == [], "nothing is created in a directory that is refused"
        for command in (["migrate"], ["audit", "verify"], ["user", "list"]):
            refused = run_cli([*command, "--data-dir", str(data)], env=AUTH_ENV)
            assert refused.returncode != 0 and f"chmod 700 {data}" in refused.stderr, (command, refused.stderr)
        assert list(data.iterdir()) == []


def test_a_key_file_others_can_read_is_refused(tmp_path):
    data = tmp_path / "data"
    assert run_cli(["migrate", "--data-dir", str(data)], env=AUTH_ENV).returncode == 0
    key = data / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    os.chmod(key, 0o644)
    result = serve_until_exit(data)
    assert result.returncode != 0
    assert f"The key file {key} has mode 644" in result.stderr, result.stderr
    assert key.read_bytes().strip() not in result.stderr.encode() + result.stdout.encode(), "the key is never printed"


def test_a_fresh_start_creates_only_private_files(tmp_path):
    """Whatever a fresh server creates (database and its -wal/-shm, key files, the local store's objects and
    temporary files) is 0600, every directory 0700, whatever the umask of whoever started it."""
    previous = os.umask(0o022)
    try:
        server = launch_server(tmp_path, "private-files")
    finally:
        os.umask(previous)
    try:
        entry = server.upload_ok([("private.txt", b"private bytes\n")], category="other", entity_id="P-PRIVATE")[0]
        assert server.download(entry["key"]).status_code == 200
        url = server.download(entry["key"], presigned=True).json()["url"]
        server.session.get(url, timeout=30)
        created = [server.data_dir, *server.data_dir.rglob("*")]
        for path in created:
            mode = stat.S_IMODE(path.lstat().st_mode)
            expected = 0o700 if path.is_dir() else 0o600
            assert mode == expected, f"{path.relative_to(tmp_path)} has mode {mode:o}, not {expected:o}"
        names = {path.name for path in created}
        expected = {"audit.key"} | (set() if databases.on_postgres() else {"medvault.sqlite", "medvault.sqlite-wal", "medvault.sqlite-shm"})
        assert expected <= names, names
    finally:
        server.shutdown()
