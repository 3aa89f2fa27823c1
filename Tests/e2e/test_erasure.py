"""POST /api/v2/entities/{entityType}/{entityId}/erasure: every document of an entity erased for good.

An administrator erases a patient: the active and the archived document and a direct upload's staged bytes go (on S3 with versioning turned on by the
test, every version and delete marker too), their rows go, the receipt counts them and names the `entity.erase` audit
row; the upload rows stay and `medvault audit verify` still passes. A held document refuses the whole erasure; other
roles are refused; another patient's documents are untouched.
"""

from __future__ import annotations

import hashlib
import json

import pytest
import requests

import samples
from support import API, assert_error

pytestmark = pytest.mark.s3_semantics("removing every version and pending upload")

ERASED, HELD, KEPT = "er-p1", "er-p2", "er-p3"


def erase(server, entity_id: str, reason: str | None = "patient asked", auth=None, entity_type: str = "patient"):
    body = {} if reason is None else {"reason": reason}
    kwargs = {} if auth is None else {"auth": auth}
    return server.post(
        f"/api/v2/entities/{entity_type}/{entity_id}/erasure", data=json.dumps(body), headers={"Content-Type": "application/json"}, **kwargs
    )


def versions(server, prefix: str) -> list[str]:
    page = server.bucket.client.list_object_versions(Bucket=server.bucket.name, Prefix=prefix)
    return [v["Key"] for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]


@pytest.fixture(scope="module")
def stored(server):
    """Versioning on (S3), then: two documents of ERASED (one archived), a held one of HELD, one of KEPT."""
    if server.on_s3:
        server.bucket.client.put_bucket_versioning(Bucket=server.bucket.name, VersioningConfiguration={"Status": "Enabled"})
    active, archived = server.upload_ok([("a.pdf", samples.pdf("erase a")), ("b.pdf", samples.pdf("erase b"))], entity_id=ERASED)
    assert server.delete_document(archived["key"]).status_code == 200
    held = server.upload_ok([("h.pdf", samples.pdf("held"))], entity_id=HELD)[0]
    response = server.post(API + "/hold", data=json.dumps({"id": held["id"], "reason": "litigation"}), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    kept = server.upload_ok([("k.pdf", samples.pdf("kept"))], entity_id=KEPT)[0]
    server.add_user("er-patient@example.org", "patient", patient_id=ERASED)
    return {"active": active, "archived": archived, "held": held, "kept": kept, "patient": server.token_for("er-patient@example.org")}


def test_refusals_change_nothing(server, stored):
    assert_error(erase(server, ERASED, auth=stored["patient"]), 403, "forbidden")
    assert_error(erase(server, ERASED, reason=None), 400, "missing_parameter")
    assert_error(erase(server, ERASED, entity_type="dog"), 400, "invalid_entity_type")
    held = erase(server, HELD)
    assert_error(held, 409, "legal_hold")
    assert server.object_exists(stored["held"]["key"])
    assert server.query("SELECT status FROM documents WHERE id = ?", (stored["held"]["id"],)) == [{"status": "active"}]
    assert server.query("SELECT count(*) AS n FROM documents WHERE entity_id = ?", (ERASED,)) == [{"n": 2}]


def pending_direct_upload(server) -> str:
    """A direct upload for ERASED whose bytes have landed in quarantine/ but that was never completed."""
    data = samples.pdf("staged, never completed")
    body = {"fileName": "s.pdf", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "category": "medical-records"}
    response = server.post(API + "/uploads", json=body | {"entityType": "patient", "entityId": ERASED})
    assert response.status_code == 201, response.text
    part = response.json()["parts"][0]
    assert requests.put(part["url"], data=data, headers=part["headers"], timeout=30).status_code == 200
    return response.json()["uploadId"]


def test_erasure_leaves_no_object_no_version_and_no_row(server, stored):
    upload_id = pending_direct_upload(server)
    assert server.object_exists(f"quarantine/{upload_id}")
    upload_rows = server.query("SELECT count(*) AS n FROM audit_events WHERE action = 'document.upload' AND patient_id = ?", (ERASED,))
    response = erase(server, ERASED)
    assert response.status_code == 200, response.text
    receipt = response.json()
    sizes = stored["active"]["size"] + stored["archived"]["size"]
    assert {k: receipt[k] for k in ("entityType", "entityId", "documents", "bytes", "objectsDeleted")} == {
        "entityType": "patient",
        "entityId": ERASED,
        "documents": 2,
        "bytes": sizes,
        "objectsDeleted": 7,  # the two documents, the staged upload, and each PDF's two previews
    }
    # Versioned: the active object, the archived one, the archived document's old version and delete marker, the
    # staged upload, and the four previews.
    assert receipt["versionsDeleted"] == (9 if server.on_s3 else 0)
    row = server.query("SELECT * FROM audit_events WHERE sequence = ?", (receipt["auditSequence"],))[0]
    assert (row["action"], row["outcome"], row["reason"], row["request_id"]) == ("entity.erase", "success", "patient asked", response.headers["X-Request-Id"])
    assert "a.pdf" not in row["detail"] and "b.pdf" not in row["detail"]
    assert receipt["completedAt"].endswith("Z")

    erased_ids = (stored["active"]["id"], stored["archived"]["id"])
    assert [key for key in server.stored_objects() if f"/{ERASED}/" in key or upload_id in key or key.split("/")[1] in erased_ids] == []
    assert server.query("SELECT state FROM upload_sessions WHERE id = ?", (upload_id,)) == [{"state": "aborted"}]
    if server.on_s3:
        assert versions(server, f"patients/{ERASED}/") == [] and versions(server, f"archived/patients/{ERASED}/") == []
    assert server.query("SELECT count(*) AS n FROM documents WHERE entity_id = ?", (ERASED,)) == [{"n": 0}]
    assert server.query("SELECT count(*) AS n FROM audit_events WHERE action = 'document.upload' AND patient_id = ?", (ERASED,)) == upload_rows
    assert server.object_exists(stored["kept"]["key"]) and server.object_exists(stored["held"]["key"])

    again = erase(server, ERASED)
    assert again.status_code == 200, again.text
    assert (again.json()["documents"], again.json()["objectsDeleted"]) == (0, 0), "erasing again finds nothing left"
    assert server.cli(["audit", "verify"]).returncode == 0


def test_user_delete_erases_the_users_folder_only_when_asked(server, stored):
    gone = server.upload_ok([("g.pdf", samples.pdf("gone with the user"))], entity_id="er-p4")[0]
    server.add_user("er-gone@example.org", "patient", patient_id="er-p4")
    server.add_user("er-kept@example.org", "patient", patient_id=KEPT)

    kept = server.cli(["user", "delete", "--email", "er-kept@example.org"])
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert server.object_exists(stored["kept"]["key"]), "without --erase-documents the folder stays"

    erased = server.cli(["user", "delete", "--email", "er-gone@example.org", "--erase-documents"])
    assert erased.returncode == 0, erased.stdout + erased.stderr
    assert "documents 1" in erased.stdout
    assert not server.object_exists(gone["key"])
    assert [key for key in server.stored_objects() if "/er-p4/" in key] == []
    assert server.query("SELECT count(*) AS n FROM documents WHERE entity_id = 'er-p4'") == [{"n": 0}]
    users = server.query("SELECT email, disabled FROM users WHERE email LIKE 'er-%' ORDER BY email")
    assert {row["email"]: bool(row["disabled"]) for row in users}["er-gone@example.org"] is True
    assert [row["detail"] for row in server.query("SELECT detail FROM audit_events WHERE action = 'entity.erase' ORDER BY sequence")][-1].startswith(
        "documents 1,"
    )
    assert server.cli(["audit", "verify"]).returncode == 0
