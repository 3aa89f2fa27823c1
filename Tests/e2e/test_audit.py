"""The audit trail: one row per call (per stored file for uploads), no PHI in logs, and a hash chain that
`medvault audit verify` checks — intact, then after an attacker with direct access to the database (the
sqlite3 shell, or a PostgreSQL connection) edits or removes rows."""

from __future__ import annotations

import shutil
import uuid

import pytest

import samples
import databases
from support import API, USER_AGENT, launch_server, run_cli


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
    databases.tamper(data, f"UPDATE audit_events SET http_status = 200, outcome = 'success' WHERE sequence = {target};")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert f"audit chain broken at row {target}" in result.stderr, result.stderr


def test_removed_row_is_detected(stopped_data_dir, tmp_path):
    data = copy_of(stopped_data_dir, tmp_path, "removed")
    sequences = [r["sequence"] for r in databases.query(data, "SELECT sequence FROM audit_events ORDER BY sequence")]
    target = sequences[len(sequences) // 2]
    databases.tamper(data, f"DELETE FROM audit_events WHERE sequence = {target};")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert any(f"audit chain broken at row {n}" in result.stderr for n in (target, target + 1)), result.stderr


def test_removed_last_row_is_detected(stopped_data_dir, tmp_path):
    data = copy_of(stopped_data_dir, tmp_path, "truncated")
    databases.tamper(data, "DELETE FROM audit_events WHERE sequence = (SELECT MAX(sequence) FROM audit_events);")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert "audit chain broken at row" in result.stderr, result.stderr


def test_edited_first_row_is_detected(stopped_data_dir, tmp_path):
    data = copy_of(stopped_data_dir, tmp_path, "first-edited")
    first = databases.query(data, "SELECT MIN(sequence) AS s FROM audit_events")[0]["s"]
    databases.tamper(data, f"UPDATE audit_events SET user_agent = 'forged' WHERE sequence = {first};")
    result = run_cli(["audit", "verify", "--data-dir", str(data)])
    assert result.returncode != 0
    assert f"audit chain broken at row {first}" in result.stderr, result.stderr


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
