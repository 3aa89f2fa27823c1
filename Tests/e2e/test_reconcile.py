"""`medvault reconcile` and `GET /api/v2/aws/s3/reconcile`: the index compared with the store, on the selected backend.

An object put straight into the store (a copy of a document's stored object on the local store, PutObject on S3) is
reported as an orphan; a document's object removed behind medvault's back as missing; objects under temp/ are not
documents and never findings. The run exits 1 while it finds something and writes a `reconcile.run` audit row; the
endpoint answers the same report to administrators only.

`--fix` deletes orphans older than `--grace` (one `reconcile.delete_orphan` row each) and marks rows whose object is
gone `missing` (one `reconcile.mark_missing` row each): a missing document is answered 410 `document_missing`, listed to
administrators with `status=missing` only, hidden from everyone else. A run that fails exits 2.
"""

from __future__ import annotations

import json
import shutil
import uuid

import pytest

import samples
from suite import run_cli
from support import API, assert_error

pytestmark = pytest.mark.s3_semantics("listing the bucket against the index")

ENTITY = "rc-p1"
FOLDER = f"patients/{ENTITY}/medical-records"


def reconcile(server, *args: str):
    return server.cli(["reconcile", *args], timeout=120)


def put_straight(server, source_key: str, key: str) -> None:
    """Writes an object at `key` without medvault: a copy of `source_key`'s stored object."""
    if server.on_s3:
        server.bucket.client.copy_object(Bucket=server.bucket.name, Key=key, CopySource={"Bucket": server.bucket.name, "Key": source_key})
        return
    target = server.data_dir / "objects" / key
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server.data_dir / "objects" / source_key, target)


def remove_straight(server, key: str) -> None:
    """Deletes the object at `key` without medvault."""
    if server.on_s3:
        server.bucket.client.delete_object(Bucket=server.bucket.name, Key=key)
    else:
        (server.data_dir / "objects" / key).unlink()


def upload_pair(server) -> tuple[dict, dict]:
    kept, gone = server.upload_ok([("kept.pdf", samples.pdf("kept")), ("gone.pdf", samples.pdf("gone"))], entity_id=ENTITY)
    return kept, gone


def drift(server, kept: dict, gone: dict) -> str:
    """Plants an orphan (returned) and a temp/ object, and removes `gone`'s object, all behind medvault's back."""
    orphan = f"{FOLDER}/{uuid.uuid4()}-Befund ärztlich.pdf"
    put_straight(server, kept["key"], orphan)
    put_straight(server, kept["key"], f"temp/{uuid.uuid4()}-scratch.pdf")
    remove_straight(server, gone["key"])
    return orphan


def test_reports_orphans_and_missing_objects(start_server):
    server = start_server(name="reconcile")
    kept, gone = upload_pair(server)

    clean = reconcile(server, "--json")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    report = json.loads(clean.stdout)
    assert report["findings"] == []
    assert report["summary"] == {"objects": 2, "rows": 2, "orphans": 0, "missing": 0, "sizeMismatches": 0}

    orphan = drift(server, kept, gone)

    found = reconcile(server, "--json")
    assert found.returncode == 1, found.stdout + found.stderr
    report = json.loads(found.stdout)
    by_kind = {finding["kind"]: finding for finding in report["findings"]}
    assert len(report["findings"]) == 2, report
    assert by_kind["orphan"]["key"] == orphan
    assert by_kind["orphan"]["storedSize"] == kept["size"]
    assert by_kind["missing"] == {"kind": "missing", "key": gone["key"], "documentId": gone["id"], "indexedSize": gone["size"]}
    assert report["summary"] == {"objects": 2, "rows": 2, "orphans": 1, "missing": 1, "sizeMismatches": 0}

    text = reconcile(server)
    assert text.returncode == 1, text.stdout + text.stderr
    assert f"orphan {orphan} stored={kept['size']}" in text.stdout.splitlines()
    assert f"missing {gone['key']} indexed={gone['size']}" in text.stdout.splitlines()
    assert "objects 2, rows 2, orphans 1, missing 1, size mismatches 0" in text.stdout

    rows = server.query("SELECT detail FROM audit_events WHERE action = 'reconcile.run' ORDER BY sequence")
    assert [row["detail"] for row in rows][-1] == "objects 2, rows 2, orphans 1, missing 1, size mismatches 0"
    assert len(rows) == 3
    assert all(ENTITY not in row["detail"] for row in rows), "audit details carry counts, never keys"

    fix_within_grace(server, orphan, gone)
    fix_past_grace(server, orphan, gone)
    missing_document_is_gone_for_everyone(server, gone)
    assert server.cli(["audit", "verify"]).returncode == 0


def fix_within_grace(server, orphan: str, gone: dict) -> None:
    """The default grace (a day) keeps the just-written orphan; the row without its object is marked missing."""
    run = reconcile(server, "--fix", "--json")
    assert run.returncode == 1, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert {(f["kind"], f["fix"]) for f in report["findings"]} == {("orphan", "within_grace"), ("missing", "fixed")}
    assert report["fixes"] == {"fixed": 1, "withinGrace": 1, "reportedOnly": 0}
    assert server.object_exists(orphan)
    assert server.query("SELECT status FROM documents WHERE id = ?", (gone["id"],)) == [{"status": "missing"}]
    marks = server.query("SELECT document_id, document_key FROM audit_events WHERE action = 'reconcile.mark_missing'")
    assert marks == [{"document_id": gone["id"], "document_key": gone["key"]}]


def fix_past_grace(server, orphan: str, gone: dict) -> None:
    """With no grace the orphan goes too; the next run finds nothing, the missing row being known."""
    run = reconcile(server, "--fix", "--grace", "0")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"orphan {orphan} stored={server.query('SELECT size FROM documents WHERE id <> ?', (gone['id'],))[0]['size']} fix=fixed" in run.stdout
    assert not server.object_exists(orphan)
    deleted = server.query("SELECT document_key FROM audit_events WHERE action = 'reconcile.delete_orphan'")
    assert deleted == [{"document_key": orphan}]
    after = reconcile(server, "--json")
    assert after.returncode == 0, after.stdout + after.stderr
    assert json.loads(after.stdout)["findings"] == []
    assert reconcile(server, "--grace", "-1").returncode not in (0, 1, 2), "a bad option is a usage error"
    disabled = run_cli(["reconcile", "--data-dir", str(server.data_dir)], env=server.env_overrides | {"ENABLE_AWS_S3_STORAGE": "false"})
    assert disabled.returncode == 2, disabled.stdout + disabled.stderr


def missing_document_is_gone_for_everyone(server, gone: dict) -> None:
    for path in (f"{API}/download?id={gone['id']}", f"{API}/download?id={gone['id']}&presigned=true", f"/api/v2/documents/{gone['id']}/signed-url"):
        assert_error(server.get(path), 410, "document_missing")
    listed = server.get(f"{API}/list", params={"prefix": f"patients/{ENTITY}/"}).json()["files"]
    assert gone["id"] not in [f["id"] for f in listed] and {f["status"] for f in listed} == {"active"}
    missing = server.get(f"{API}/list", params={"status": "missing"})
    assert missing.status_code == 200, missing.text
    assert [(f["id"], f["status"]) for f in missing.json()["files"]] == [(gone["id"], "missing")]
    server.add_user("rc-owner@example.org", "patient", patient_id=ENTITY)
    owner = server.token_for("rc-owner@example.org")
    assert_error(server.get(f"{API}/list", params={"status": "missing"}, auth=owner), 403, "forbidden")
    assert gone["id"] not in [f["id"] for f in server.get(f"{API}/list", auth=owner).json()["files"]]
    # Like an archived one, a missing document is the administrators' alone: its owner gets the 404 of no document.
    assert_error(server.get(f"{API}/download?id={gone['id']}", auth=owner), 404, "not_found")


@pytest.fixture(scope="module")
def people(server):
    """A patient and a provider on the patient's care team: neither may reconcile."""
    server.add_user("rc-patient@example.org", "patient", patient_id=ENTITY)
    server.add_user("rc-doctor@example.org", "provider", provider_id="D-RC")
    assert server.cli(["careteam", "add", "--provider", "rc-doctor@example.org", "--patient", ENTITY]).returncode == 0
    return {"patient": server.token_for("rc-patient@example.org"), "provider": server.token_for("rc-doctor@example.org")}


def test_endpoint_answers_the_same_report_to_administrators(start_server):
    server = start_server(name="reconcile-api")
    kept, gone = upload_pair(server)
    orphan = drift(server, kept, gone)

    response = server.get(API + "/reconcile")
    assert response.status_code == 200, response.text
    report = response.json()
    assert [(f["kind"], f["key"]) for f in report["findings"]] == sorted(
        [("orphan", orphan), ("missing", gone["key"])], key=lambda finding: finding[1].encode()
    )
    assert report["summary"] == {"objects": 2, "rows": 2, "orphans": 1, "missing": 1, "sizeMismatches": 0}
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["detail"]) == (
        "reconcile.run",
        "success",
        "objects 2, rows 2, orphans 1, missing 1, size mismatches 0",
    )
    assert server.object_exists(orphan) and not server.object_exists(gone["key"]), "the endpoint changes nothing"


@pytest.mark.parametrize("role", ["patient", "provider"])
def test_endpoint_refuses_everyone_else(server, people, role):
    response = server.get(API + "/reconcile", auth=people[role])
    assert_error(response, 403, "forbidden")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert (rows[0]["action"], rows[0]["outcome"]) == ("reconcile.run", "denied")
    assert_error(server.get(API + "/reconcile", auth=None), 401, "unauthenticated")
