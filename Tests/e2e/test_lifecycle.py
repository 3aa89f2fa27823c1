"""`medvault lifecycle run [--dry-run] [--as-of INSTANT]`: the lifecycle rules (temp/ expiry, transition to the archive
storage class, erasure of archived documents past their retention) applied to the index as of a chosen instant."""

from __future__ import annotations

import json
import shutil
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

import samples
from support import ADMIN, API

pytestmark = pytest.mark.s3_semantics("storage-class transitions and lifecycle moves")


def instant(days_from_now: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days_from_now)).strftime("%Y-%m-%dT%H:%M:%SZ")


def lifecycle(server, *args: str):
    return server.cli(["lifecycle", "run", *args])


def lifecycle_rows(server, document_id: str) -> list[dict]:
    return server.query(
        "SELECT action, document_id, document_key, outcome FROM audit_events WHERE action LIKE 'lifecycle.%' AND document_id = ?",
        (document_id,),
    )


@pytest.fixture
def rules_server(start_server):
    return start_server({"MEDVAULT_ARCHIVED_RETENTION_DAYS": "30"}, name="lifecycle")


def archived(server, name: str) -> tuple[dict, str]:
    entry = server.upload_ok([(name, samples.pdf(name))], entity_id="P-LIFE")[0]
    response = server.delete_document(entry["key"])
    assert response.status_code == 200, response.text
    return entry, response.json()["archivedKey"]


def as_temp_upload(server, name: str, uploaded_at_ms: int | None = None) -> tuple[dict, str]:
    """An uploaded document moved under temp/ behind medvault's back (no API path writes there), optionally
    back-dated; only on the local store, whose objects are files."""
    if server.on_s3:
        pytest.skip("puts a temp/ object in place as a file of the local store")
    entry = server.upload_ok([(name, samples.pdf(name))], entity_id="P-LIFE")[0]
    temp_key = f"temp/{uuid.uuid4()}-{name}"
    objects = server.data_dir / "objects"
    (objects / "temp").mkdir(exist_ok=True)
    shutil.move(objects / entry["key"], objects / temp_key)
    if uploaded_at_ms is None:
        changed = server.execute("UPDATE documents SET key = ? WHERE id = ?", (temp_key, entry["id"]))
    else:
        changed = server.execute("UPDATE documents SET key = ?, uploaded_at = ? WHERE id = ?", (temp_key, uploaded_at_ms, entry["id"]))
    assert changed == 1
    return entry, temp_key


def test_dry_run_prints_the_plan_and_changes_nothing(rules_server):
    active = rules_server.upload_ok([("old.pdf", samples.pdf("old"))], entity_id="P-LIFE")[0]
    gone, archived_key = archived(rules_server, "gone.pdf")

    early = lifecycle(rules_server, "--dry-run", "--as-of", instant(10))
    assert early.returncode == 0, early.stderr
    assert active["id"] not in early.stdout and gone["id"] not in early.stdout
    assert "lifecycle.transition: 0" in early.stdout and "lifecycle.erase: 0" in early.stdout

    late = lifecycle(rules_server, "--dry-run", "--as-of", instant(91))
    assert late.returncode == 0, late.stderr
    assert f"would lifecycle.transition {active['id']} {active['key']} GLACIER_IR" in late.stdout, late.stdout
    assert f"would lifecycle.erase {gone['id']} {archived_key}" in late.stdout, late.stdout
    assert rules_server.object_exists(active["key"]) and rules_server.object_exists(archived_key)
    assert lifecycle_rows(rules_server, active["id"]) == [] and lifecycle_rows(rules_server, gone["id"]) == []


def test_archived_documents_past_retention_are_erased_and_audited(rules_server):
    gone, archived_key = archived(rules_server, "erase-me.pdf")
    kept, kept_key = archived(rules_server, "held.pdf")
    response = rules_server.post(
        API + "/hold", data=json.dumps({"id": kept["id"], "reason": "litigation"}), headers={"Content-Type": "application/json"}, auth=ADMIN
    )
    assert response.status_code == 200, response.text

    result = lifecycle(rules_server, "--as-of", instant(31))
    assert result.returncode == 0, result.stderr
    assert f"done lifecycle.erase {gone['id']} {archived_key}" in result.stdout, result.stdout
    assert kept["id"] not in result.stdout, "a held document gets no lifecycle action"

    assert not rules_server.object_exists(archived_key)
    assert rules_server.query("SELECT id FROM documents WHERE id = ?", (gone["id"],)) == []
    assert lifecycle_rows(rules_server, gone["id"]) == [
        {"action": "lifecycle.erase", "document_id": gone["id"], "document_key": archived_key, "outcome": "success"}
    ]
    assert rules_server.object_exists(kept_key)
    assert lifecycle_rows(rules_server, kept["id"]) == []

    again = lifecycle(rules_server, "--as-of", instant(31))
    assert again.returncode == 0 and "lifecycle.erase: 0" in again.stdout, again.stdout
    verify = rules_server.cli(["audit", "verify"])
    assert verify.returncode == 0, verify.stderr + verify.stdout


def test_temp_uploads_expire_after_seven_days(rules_server):
    entry, temp_key = as_temp_upload(rules_server, "scratch.pdf")

    assert entry["id"] not in lifecycle(rules_server, "--as-of", instant(6.9)).stdout
    result = lifecycle(rules_server, "--as-of", instant(7.01))
    assert result.returncode == 0, result.stderr
    assert f"done lifecycle.expire {entry['id']} {temp_key}" in result.stdout, result.stdout
    assert not rules_server.object_exists(temp_key)
    assert [row["action"] for row in lifecycle_rows(rules_server, entry["id"])] == ["lifecycle.expire"]


@pytest.mark.parametrize("bad", ["tomorrow", "2027-13-01T00:00:00Z", "2027-01-01"])
def test_a_malformed_instant_is_refused(server, bad):
    result = server.cli(["lifecycle", "run", "--dry-run", "--as-of", bad])
    assert result.returncode != 0
    assert "--as-of must be an RFC 3339 instant" in result.stderr, result.stderr


def test_the_server_timer_applies_the_rules(start_server):
    ticking = start_server({"MEDVAULT_LIFECYCLE_INTERVAL": "1"}, name="lifecycle-timer")
    eight_days_ago = int((datetime.now(timezone.utc) - timedelta(days=8)).timestamp() * 1000)
    entry, temp_key = as_temp_upload(ticking, "timer.pdf", uploaded_at_ms=eight_days_ago)

    deadline = time.monotonic() + 10
    while ticking.query("SELECT id FROM documents WHERE id = ?", (entry["id"],)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ticking.query("SELECT id FROM documents WHERE id = ?", (entry["id"],)) == [], "the timer expired the temp/ upload"
    assert not ticking.object_exists(temp_key)
    assert [row["action"] for row in lifecycle_rows(ticking, entry["id"])] == ["lifecycle.expire"]


def test_old_documents_transition_once_to_the_archive_storage_class(rules_server):
    entry = rules_server.upload_ok([("aged.pdf", samples.pdf("aged"))], entity_id="P-LIFE")[0]
    result = lifecycle(rules_server, "--as-of", instant(90.01))
    assert result.returncode == 0, result.stderr
    assert f"done lifecycle.transition {entry['id']} {entry['key']} GLACIER_IR" in result.stdout, result.stdout
    assert rules_server.query("SELECT storage_class FROM document_storage_classes WHERE document_id = ?", (entry["id"],)) == [
        {"storage_class": "GLACIER_IR"}
    ]
    rows = rules_server.query("SELECT action, detail FROM audit_events WHERE document_id = ? AND action LIKE 'lifecycle.%'", (entry["id"],))
    assert rows == [{"action": "lifecycle.transition", "detail": "GLACIER_IR"}]
    assert rules_server.download(entry["key"]).content == samples.pdf("aged"), "the document is still downloadable"
    if rules_server.on_s3:
        head = rules_server.bucket.head(entry["key"])
        assert head is not None and head.get("StorageClass") == "GLACIER_IR", head
        assert head.get("ServerSideEncryption"), "the copy kept server-side encryption"

    again = lifecycle(rules_server, "--dry-run", "--as-of", instant(91))
    assert entry["id"] not in again.stdout, "a transition is made once"


@pytest.mark.s3_only("S3 puts a copied object in the standard class unless told otherwise")
def test_archiving_and_restoring_keep_the_storage_class(rules_server):
    entry = rules_server.upload_ok([("kept-class.pdf", samples.pdf("kept class"))], entity_id="P-LIFE")[0]
    assert lifecycle(rules_server, "--as-of", instant(90.01)).returncode == 0
    archived = rules_server.delete_document(entry["key"])
    assert archived.status_code == 200, archived.text
    archived_key = archived.json()["archivedKey"]
    assert rules_server.bucket.head(archived_key).get("StorageClass") == "GLACIER_IR", "archiving kept the class"
    restored = rules_server.post(API + "/restore", json={"id": entry["id"]})
    assert restored.status_code == 200, restored.text
    assert rules_server.bucket.head(entry["key"]).get("StorageClass") == "GLACIER_IR", "restoring kept the class"
