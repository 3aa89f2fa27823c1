"""`medvault reconcile`: the index compared with the store, on the selected backend.

An object put straight into the store (a copy of a document's stored object on the local store, PutObject on S3) is
reported as an orphan; a document's object removed behind medvault's back as missing; objects under temp/ are not
documents and never findings. The run exits 1 while it finds something and writes a `reconcile.run` audit row.
"""

from __future__ import annotations

import json
import shutil
import uuid

import samples

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


def test_reports_orphans_and_missing_objects(start_server):
    server = start_server(name="reconcile")
    kept, gone = server.upload_ok([("kept.pdf", samples.pdf("kept")), ("gone.pdf", samples.pdf("gone"))], entity_id=ENTITY)

    clean = reconcile(server, "--json")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    report = json.loads(clean.stdout)
    assert report["findings"] == []
    assert report["summary"] == {"objects": 2, "rows": 2, "orphans": 0, "missing": 0, "sizeMismatches": 0}

    orphan = f"{FOLDER}/{uuid.uuid4()}-planted.pdf"
    put_straight(server, kept["key"], orphan)
    put_straight(server, kept["key"], f"temp/{uuid.uuid4()}-scratch.pdf")
    remove_straight(server, gone["key"])

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
