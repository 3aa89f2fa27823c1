"""The audit trail: one row per call (per stored file for uploads), no PHI in logs, and a keyed hash chain that
`medvault audit verify` checks — intact, then after an attacker with direct access to the database (the `sqlite3`
shell, or a PostgreSQL connection) edits or removes rows, or rewrites them and recomputes the chain without the audit
key; `medvault audit anchor` and `verify --anchor`; and a SQLite database written by the previous release, which
keeps verifying."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import shutil
import stat
import struct
import subprocess
import uuid
from pathlib import Path

import pytest

import samples
import databases
from support import API, AUTH_ENV, USER_AGENT, launch_server, run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def exercised(server):
    """A mix of successful and refused calls: (response, number of audit rows it must have written)."""
    calls = []
    upload = server.upload([("one.pdf", samples.pdf()), ("two.txt", b"AUDIT-CONTENT-MARKER\n")], entity_id="P-AUDIT")
    calls.append((upload, 2))
    files = upload.json()["files"]
    calls.append((server.download(files[0]["key"]), 1))
    calls.append((server.download(files[0]["key"], headers={"Range": "bytes=0-3"}), 1))
    calls.append((server.download(f"patients/P-AUDIT/other/{uuid.uuid4()}-missing.pdf"), 1))
    calls.append((server.get(API + "/download?key=../etc/passwd"), 1))
    calls.append((server.list(prefix="patients/P-AUDIT/"), 1))
    calls.append((server.list(maxKeys="0"), 1))
    calls.append((server.get(API + "/stats"), 1))
    calls.append((server.get(API + "/config"), 1))
    calls.append((server.upload([("bad.pdf", samples.png())], entity_id="P-AUDIT"), 1))
    calls.append((server.upload([("x.txt", b"x")], category="nope", entity_id="P-AUDIT"), 1))
    calls.append((server.delete_document(files[1]["key"]), 1))
    calls.append((server.delete_document(f"patients/P-AUDIT/other/{uuid.uuid4()}-x.txt"), 1))
    return calls


def test_each_call_writes_its_audit_rows(server, exercised):
    admin_id = server.user(server.admin_email)["id"]
    for response, expected in exercised:
        request_id = response.headers["X-Request-Id"]
        rows = server.audit_rows(request_id, expected=expected)
        label = f"{response.request.method} {response.request.path_url} -> {response.status_code}"
        assert len(rows) == expected, f"{label}: {len(rows)} audit rows, expected {expected}"
        for row in rows:
            assert row["http_status"] == response.status_code, label
            assert row["outcome"] == ("success" if response.status_code < 400 else "rejected"), label
            if response.status_code >= 400:
                assert row["error_code"] == response.json()["error"]["code"], label
            else:
                assert row["error_code"] is None, label
            assert row["client_address"] in ("127.0.0.1", "::ffff:127.0.0.1"), label
            assert row["user_agent"] == USER_AGENT, label
            assert row["action"], label
            # every row names who acted (the suite calls as the first administrator) and how
            assert (row["actor_id"], row["actor_role"]) == (admin_id, "admin"), label
            assert (row["break_glass"], row["reason"]) == (0, None), label


def test_health_checks_are_not_audited(server, exercised):
    response = server.get("/healthz")
    assert response.status_code == 200
    assert server.audit_rows(response.headers["X-Request-Id"], expected=0, wait=0.3) == []


def test_request_ids_are_unique(server, exercised):
    ids = [response.headers["X-Request-Id"] for response, _ in exercised]
    assert len(set(ids)) == len(ids)


def test_audit_rows_hold_no_document_contents(server, exercised):
    dump = "\n".join(str(row) for row in server.query("SELECT * FROM audit_events"))
    assert "AUDIT-CONTENT-MARKER" not in dump


def test_audit_table_refuses_update_and_delete(server, exercised):
    for statement in ("UPDATE audit_events SET outcome = 'success'", "DELETE FROM audit_events"):
        with pytest.raises(databases.refused_errors(), match="append-only"):
            server.execute(statement)
    assert len(server.query("SELECT sequence FROM audit_events")) > 0


# --- verification and tampering ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def stopped_data_dir(start_server_module):
    """A data directory with a few dozen audit rows, its server stopped cleanly."""
    server = start_server_module
    for i in range(6):
        entry = server.upload_ok([(f"chain-{i}.txt", f"chain {i}\n".encode())], entity_id="P-CHAIN")[0]
        server.download(entry["key"])
        server.download(f"patients/P-CHAIN/other/{uuid.uuid4()}-nope.txt")
    assert server.stop() == 0
    return server.data_dir


@pytest.fixture(scope="module")
def start_server_module(tmp_path_factory):
    server = launch_server(tmp_path_factory.mktemp("audit-chain"), "audit-chain")
    yield server
    server.shutdown()


def copy_of(data_dir, tmp_path, name):
    """A copy of the stopped server's data directory and of its database."""
    target = tmp_path / name
    shutil.copytree(data_dir, target)
    databases.copy_database(data_dir, target)
    return target


def test_intact_chain_verifies(stopped_data_dir):
    result = run_cli(["audit", "verify", "--data-dir", str(stopped_data_dir)])
    assert result.returncode == 0, result.stderr + result.stdout


def test_edited_row_is_detected(stopped_data_dir, tmp_path):
    data = copy_of(stopped_data_dir, tmp_path, "edited")
    sequences = [r["sequence"] for r in databases.query(data, "SELECT sequence FROM audit_events ORDER BY sequence")]
    target = sequences[len(sequences) // 2]
    databases.tamper(data, f"UPDATE audit_events SET http_status = 200, outcome = 'success' WHERE sequence = {target}")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert f"audit chain broken at row {target}" in result.stderr, result.stderr


def test_removed_row_is_detected(stopped_data_dir, tmp_path):
    data = copy_of(stopped_data_dir, tmp_path, "removed")
    sequences = [r["sequence"] for r in databases.query(data, "SELECT sequence FROM audit_events ORDER BY sequence")]
    target = sequences[len(sequences) // 2]
    databases.tamper(data, f"DELETE FROM audit_events WHERE sequence = {target}")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert any(f"audit chain broken at row {n}" in result.stderr for n in (target, target + 1)), result.stderr


def test_removed_last_row_is_detected(stopped_data_dir, tmp_path):
    data = copy_of(stopped_data_dir, tmp_path, "truncated")
    databases.tamper(data, "DELETE FROM audit_events WHERE sequence = (SELECT MAX(sequence) FROM audit_events)")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert "audit chain broken at row" in result.stderr, result.stderr


def test_edited_first_row_is_detected(stopped_data_dir, tmp_path):
    data = copy_of(stopped_data_dir, tmp_path, "first-edited")
    first = databases.query(data, "SELECT MIN(sequence) AS s FROM audit_events")[0]["s"]
    databases.tamper(data, f"UPDATE audit_events SET user_agent = 'forged' WHERE sequence = {first}")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert f"audit chain broken at row {first}" in result.stderr, result.stderr


# --- the keyed chain ---------------------------------------------------------------------------------
# An independent implementation of the encodings documented on AuditChain (Sources/Audit/AuditChain.swift), used
# both to check the server's hashes and to forge chains the way an attacker with write access to the database would.

GENESIS = "0" * 64


def _text(value) -> bytes:
    if value is None:
        return b"\x00"
    data = value.encode()
    return b"\x01" + struct.pack(">Q", len(data)) + data


def _integer(value) -> bytes:
    return b"\x00" if value is None else b"\x02" + struct.pack(">q", value)


def encode_row(row: dict, version: int) -> bytes:
    out = _text(f"medvault.audit.v{version}") + _integer(row["sequence"]) + _text(row["previous_hash"])
    out += _integer(row["occurred_at"]) + _text(row["action"]) + _text(row["outcome"]) + _integer(row["http_status"])
    for column in ("error_code", "document_id", "document_key", "actor_id", "actor_role"):
        out += _text(row[column])
    out += _integer(int(row["break_glass"]))
    for column in ("reason", "client_address", "user_agent", "request_id", "detail"):
        out += _text(row[column])
    if version == 2 or row["patient_id"] is not None:
        out += _text(row["patient_id"])
    return out


def row_hash(row: dict, version: int, key: bytes | None) -> str:
    message = encode_row(row, version)
    return hmac.new(key, message, hashlib.sha256).hexdigest() if version == 2 else hashlib.sha256(message).hexdigest()


def audit_key(data: Path) -> bytes:
    return base64.b64decode((data / "audit.key").read_text())


def forge_chain(data: Path, edited: int, version: int, key: bytes | None = None) -> None:
    """Edits row `edited` and recomputes every hash from it on, as an attacker with write access to the database
    would: unkeyed (version 1), or keyed with whatever key they have."""
    statements = []
    previous = GENESIS
    for row in databases.query(data, "SELECT * FROM audit_events ORDER BY sequence"):
        if row["sequence"] == edited:
            row["outcome"], row["detail"] = "success", "nothing to see"
        if row["sequence"] >= edited:
            row["previous_hash"] = previous
            row["hash"] = row_hash(row, version, key)
            statements.append((
                "UPDATE audit_events SET outcome = ?, detail = ?, previous_hash = ?, hash = ? WHERE sequence = ?",
                (row["outcome"], row["detail"], row["previous_hash"], row["hash"], row["sequence"]),
            ))
            if "chain_version" in row:
                statements.append(("UPDATE audit_events SET chain_version = ? WHERE sequence = ?", (version, row["sequence"])))
        previous = row["hash"]
    databases.tamper(data, *statements)


def verify(data: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(["audit", "verify", *extra, "--data-dir", str(data)], env=env)


def anchor_of(data: Path, env: dict | None = None) -> str:
    result = run_cli(["audit", "anchor", "--data-dir", str(data)], env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout.splitlines()[-1]


def test_rows_are_keyed_with_a_key_kept_outside_the_database(stopped_data_dir):
    key_file = stopped_data_dir / "audit.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = audit_key(stopped_data_dir)
    assert len(key) == 32
    rows = databases.query(stopped_data_dir, "SELECT * FROM audit_events ORDER BY sequence")
    assert rows and {row["chain_version"] for row in rows} == {2}
    previous = GENESIS
    for row in rows:
        assert row["previous_hash"] == previous
        assert row["hash"] == row_hash(row, 2, key), f"row {row['sequence']} is not HMAC-SHA256 of the documented encoding"
        previous = row["hash"]
    dump = databases.dump(stopped_data_dir)
    assert key_file.read_text().strip() not in dump and key.hex() not in dump


def test_chain_recomputed_without_the_key_is_detected(stopped_data_dir, tmp_path):
    sequences = [r["sequence"] for r in databases.query(stopped_data_dir, "SELECT sequence FROM audit_events")]
    target = sequences[len(sequences) // 2]
    unkeyed = copy_of(stopped_data_dir, tmp_path, "recomputed-unkeyed")
    forge_chain(unkeyed, target, version=1)
    result = verify(unkeyed)
    assert result.returncode != 0
    assert f"audit chain broken at row {target}: row has an unkeyed hash" in result.stderr, result.stderr

    guessed = copy_of(stopped_data_dir, tmp_path, "recomputed-other-key")
    forge_chain(guessed, target, version=2, key=os.urandom(32))
    result = verify(guessed)
    assert result.returncode != 0
    assert f"audit chain broken at row {target}: row hash does not match" in result.stderr, result.stderr


def test_anchor_catches_what_the_key_alone_cannot(stopped_data_dir, tmp_path):
    """With the key (or the key file) an attacker can rebuild the chain, and removing the last rows together with
    the sequence counter leaves a consistent chain: only an anchor kept elsewhere still tells."""
    anchor = anchor_of(stopped_data_dir)
    rows = databases.query(stopped_data_dir, "SELECT sequence, hash FROM audit_events ORDER BY sequence")
    assert anchor == f"{rows[-1]['sequence']}:{rows[-1]['hash']}"
    intact = verify(stopped_data_dir, "--anchor", anchor)
    assert intact.returncode == 0, intact.stderr
    assert f"anchor {anchor} matches" in intact.stdout

    rebuilt = copy_of(stopped_data_dir, tmp_path, "rebuilt-with-key")
    forge_chain(rebuilt, rows[2]["sequence"], version=2, key=audit_key(rebuilt))
    assert verify(rebuilt).returncode == 0, "the forger is faithful: with the key, a rebuilt chain verifies"
    result = verify(rebuilt, "--anchor", anchor)
    assert result.returncode != 0
    assert f"audit chain broken at row {rows[-1]['sequence']}: row hash differs from the anchor" in result.stderr, result.stderr

    cut = copy_of(stopped_data_dir, tmp_path, "cut-with-counter")
    keep = rows[-4]["sequence"]
    databases.tamper(cut, f"DELETE FROM audit_events WHERE sequence > {keep}", databases.set_highest_issued_sql(keep))
    assert verify(cut).returncode == 0
    result = verify(cut, "--anchor", anchor)
    assert result.returncode != 0
    assert f"audit chain broken at row {keep + 1}: the trail ends before the anchor" in result.stderr, result.stderr


def test_malformed_anchors_are_refused(stopped_data_dir):
    for bad in ("12", "12:abc", "x:" + "0" * 64, "-1:" + "0" * 64):
        result = verify(stopped_data_dir, f"--anchor={bad}")
        assert result.returncode != 0
        assert "--anchor must be SEQUENCE:HASH" in result.stderr, result.stderr


def test_audit_key_from_the_environment(start_server):
    """MEDVAULT_AUDIT_KEY keys the chain instead of a key file; it is a secret: not in /config, not logged; and
    verification needs the same key."""
    key = os.urandom(32)
    configured = base64.b64encode(key).decode()
    server = start_server({"MEDVAULT_AUDIT_KEY": configured}, name="audit-key-env")
    server.upload_ok([("env.txt", b"keyed from the environment\n")], entity_id="P-AUDIT-KEY")
    config = server.get(API + "/config")
    assert config.status_code == 200
    assert configured not in config.text and key.hex() not in config.text
    assert server.stop() == 0
    assert configured not in server.output()
    assert not (server.data_dir / "audit.key").exists(), "with MEDVAULT_AUDIT_KEY no key file is generated"
    rows = server.query("SELECT * FROM audit_events ORDER BY sequence")
    assert all(row["hash"] == row_hash(row, 2, key) for row in rows)

    with_key = verify(server.data_dir, env=AUTH_ENV | {"MEDVAULT_AUDIT_KEY": configured})
    assert with_key.returncode == 0, with_key.stderr
    assert configured not in with_key.stdout + with_key.stderr
    # Without it, the data directory's key file is used (created now): not the key the rows were written with.
    other = verify(server.data_dir)
    assert other.returncode != 0
    if databases.on_postgres():
        # PostgreSQL records the key's fingerprint and refuses another key before reading a row.
        assert "audit key is not the key the database's audit chain is written with" in other.stderr, other.stderr
    else:
        assert "audit chain broken at row 1: row hash does not match its contents" in other.stderr, other.stderr
    invalid = verify(server.data_dir, env={"MEDVAULT_AUDIT_KEY": "too-short"})
    assert invalid.returncode != 0 and "MEDVAULT_AUDIT_KEY must be the base64 encoding of exactly 32 bytes" in invalid.stderr


# --- a database written by the previous release --------------------------------------------------------


@pytest.mark.sqlite_only("a SQLite database file from the release before the keyed chain")
def test_previous_release_database_keeps_verifying(tmp_path):
    """fixtures/previous-release.sql is a database the release before the keyed chain wrote (17 unkeyed rows).
    It verifies as it is, the server upgrades it and keys only the rows it adds, and old rows stay protected."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    db = data / "medvault.sqlite"
    load = subprocess.run(["sqlite3", str(db)], input=(FIXTURES / "previous-release.sql").read_text(), capture_output=True, text=True, timeout=30)
    assert load.returncode == 0, load.stderr
    os.chmod(db, 0o600)
    assert "chain_version" not in {r["name"] for r in databases.query(data, "PRAGMA table_info(audit_events)")}, "made before the keyed chain"

    first = verify(data)
    assert first.returncode == 0, first.stderr
    assert "audit chain intact: 17 rows" in first.stdout

    server = launch_server(tmp_path, "previous-release", {"MEDVAULT_ADMIN_EMAIL": "admin@medvault.local", "MEDVAULT_ADMIN_PASSWORD": None})
    try:
        assert server.get(API + "/stats").status_code == 200
        assert server.list(prefix="patients/P-OLD/").status_code == 200
        assert server.stop() == 0
    finally:
        server.shutdown()
    rows = databases.query(data, "SELECT sequence, chain_version FROM audit_events ORDER BY sequence")
    assert len(rows) > 17
    assert [r["chain_version"] for r in rows] == [1] * 17 + [2] * (len(rows) - 17)
    assert databases.query(data, "SELECT unkeyed_through FROM audit_chain_keying") == [{"unkeyed_through": 17}]
    upgraded = verify(data)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"audit chain intact: {len(rows)} rows" in upgraded.stdout

    edited = copy_of(data, tmp_path, "old-row-edited")
    databases.tamper(edited, "UPDATE audit_events SET actor_id = 'someone-else' WHERE sequence = 5")
    result = verify(edited)
    assert result.returncode != 0 and "audit chain broken at row 5" in result.stderr, result.stderr

    recomputed = copy_of(data, tmp_path, "all-unkeyed")
    forge_chain(recomputed, 5, version=1)
    result = verify(recomputed)
    assert result.returncode != 0
    assert "audit chain broken at row 18: row has an unkeyed hash, but every row after sequence 17 is keyed" in result.stderr, result.stderr


# --- PHI stays out of the logs ---------------------------------------------------------------------


def test_logs_carry_no_file_names_or_patient_ids(start_server):
    server = start_server(name="phi")
    name, patient = "secret-diagnosis-name.pdf", "PATIENT-PHI-123"
    entry = server.upload_ok([(name, samples.pdf("diagnosis"))], entity_id=patient)[0]
    assert server.download(entry["key"]).status_code == 200
    assert server.download(id=entry["id"]).status_code == 200
    assert server.list(prefix=f"patients/{patient}/", q="secret").status_code == 200
    assert server.upload([(name, samples.png())], entity_id=patient).status_code == 415
    assert server.upload([(name, samples.pdf())], entity_id=patient + "/..").status_code == 400
    assert server.download(f"patients/{patient}/other/{uuid.uuid4()}-{name}").status_code == 404
    archived = server.delete_document(entry["key"]).json()["archivedKey"]
    assert server.delete_document(archived, permanent=True).status_code == 200
    assert server.stop() == 0
    output = server.output()
    assert "listening on" in output.lower(), "the log capture works"
    assert "secret-diagnosis" not in output
    assert patient not in output
