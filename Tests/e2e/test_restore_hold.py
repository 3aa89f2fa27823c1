"""POST /api/v2/aws/s3/restore: an archived document back at its original key, for administrators only."""

from __future__ import annotations

import json
import uuid

import pytest

import samples
from support import ADMIN, ADMIN_PASSWORD, API, Browser, assert_error


def restore(server, auth=ADMIN, **body):
    return server.post(API + "/restore", data=json.dumps(body), headers={"Content-Type": "application/json"}, auth=auth)


def archived_document(server, name: str, data: bytes, entity_id: str = "P-RES") -> tuple[dict, str]:
    entry = server.upload_ok([(name, data)], entity_id=entity_id)[0]
    response = server.delete_document(entry["key"])
    assert response.status_code == 200, response.text
    return entry, response.json()["archivedKey"]


@pytest.fixture(scope="module")
def people(server):
    """A patient and a provider on the patient's care team: both may archive, neither may restore."""
    server.add_user("res-patient@example.org", "patient", patient_id="P-RES")
    server.add_user("res-doctor@example.org", "provider", provider_id="D-RES")
    assert server.cli(["careteam", "add", "--provider", "res-doctor@example.org", "--patient", "P-RES"]).returncode == 0
    return {"patient": server.token_for("res-patient@example.org"), "provider": server.token_for("res-doctor@example.org")}


@pytest.mark.parametrize("by", ["id", "key"])
def test_restore_moves_the_document_back(server, by):
    data = samples.pdf(f"restore by {by}")
    entry, archived_key = archived_document(server, f"restore-{by}.pdf", data)

    response = restore(server, **({"id": entry["id"]} if by == "id" else {"key": archived_key}))
    assert response.status_code == 200, response.text
    assert response.json() == {"id": entry["id"], "key": entry["key"], "archivedKey": archived_key}

    assert server.object_exists(entry["key"]), "the object is back at its original key"
    assert not server.object_exists(archived_key), "nothing is left under archived/"
    assert server.download(entry["key"]).content == data
    listed = {f["key"]: f for f in server.list_all(prefix="patients/P-RES/")}
    assert entry["key"] in listed
    assert archived_key not in {f["key"] for f in server.list_all(prefix="archived/")}

    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    row = rows[0]
    assert (row["action"], row["outcome"], row["http_status"]) == ("document.restore", "success", 200)
    assert (row["document_id"], row["document_key"], row["patient_id"]) == (entry["id"], archived_key, "P-RES")

    # Restored, it can be archived again like any active document.
    assert server.delete_document(entry["key"]).status_code == 200


def test_an_active_document_is_not_archived(server):
    entry = server.upload_ok([("active.txt", b"still here\n")], entity_id="P-RES")[0]
    for body in ({"id": entry["id"]}, {"key": entry["key"]}):
        response = restore(server, **body)
        assert_error(response, 409, "not_archived")
        rows = server.audit_rows(response.headers["X-Request-Id"])
        assert (rows[0]["action"], rows[0]["outcome"], rows[0]["error_code"]) == ("document.restore", "rejected", "not_archived")
    assert server.object_exists(entry["key"])


def test_unknown_and_malformed_bodies(server):
    assert_error(restore(server, id=str(uuid.uuid4())), 404, "not_found")
    assert_error(restore(server, key=f"archived/patients/P-RES/other/{uuid.uuid4()}-ghost.txt"), 404, "not_found")
    assert_error(restore(server, id="not-a-uuid"), 400, "invalid_parameter")
    assert_error(restore(server, key="patients/../../etc/passwd"), 400, "invalid_key")
    assert_error(restore(server), 400, "missing_parameter")
    entry, archived_key = archived_document(server, "both.txt", b"both\n")
    assert_error(restore(server, id=entry["id"], key=archived_key), 400, "invalid_parameter")
    response = server.post(API + "/restore", data=b"[1]", headers={"Content-Type": "application/json"})
    assert_error(response, 400, "invalid_json")
    assert server.object_exists(archived_key), "refused requests moved nothing"


@pytest.mark.parametrize("role", ["patient", "provider"])
def test_only_administrators_restore(server, people, role):
    entry, archived_key = archived_document(server, f"denied-{role}.txt", b"denied\n")
    for body in ({"id": entry["id"]}, {"key": archived_key}):
        response = restore(server, auth=people[role], **body)
        assert_error(response, 403, "forbidden")
        rows = server.audit_rows(response.headers["X-Request-Id"])
        assert (rows[0]["action"], rows[0]["outcome"]) == ("document.restore", "denied")
    assert_error(restore(server, auth=None, id=entry["id"]), 401, "unauthenticated")
    assert server.object_exists(archived_key) and not server.object_exists(entry["key"]), "a refused restore moves nothing"


def test_storage_archived_view_offers_restore(server):
    entry, archived_key = archived_document(server, "page-restore.txt", b"page\n")
    browser = Browser(server)
    csrf = browser.signed_in(server.admin_email, ADMIN_PASSWORD)
    archived = browser.get("/storage?prefix=archived/patients/P-RES/")
    assert archived.status_code == 200
    assert f'data-id="{entry["id"]}"' in archived.text
    assert 'class="restore secondary"' in archived.text
    active = browser.get("/storage?prefix=patients/P-RES/")
    assert 'class="restore secondary"' not in active.text, "active rows offer no Restore"

    # The button's request: the session cookie needs the session's CSRF token.
    body = json.dumps({"id": entry["id"]})
    headers = {"Content-Type": "application/json"}
    assert_error(browser.post(API + "/restore", data=body, headers=headers), 403, "csrf_failed")
    response = browser.post(API + "/restore", data=body, headers=headers | {"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.text
    assert server.object_exists(entry["key"]) and not server.object_exists(archived_key)
