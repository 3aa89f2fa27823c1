"""`medvault reconcile` and `GET /api/v2/aws/s3/reconcile`: the index compared with the store, on the selected backend.

An object put straight into the store (a copy of a document's stored object on the local store, PutObject on S3) is
reported as an orphan; a document's object removed behind medvault's back as missing; objects under temp/ are not
documents and never findings. The run exits 1 while it finds something and writes a `reconcile.run` audit row; the
endpoint answers the same report to administrators only.
"""

from __future__ import annotations

import json
import shutil
import uuid

import pytest

import samples
from support import API, assert_error

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
