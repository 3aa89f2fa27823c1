"""DELETE /api/v2/aws/s3/delete: soft delete into archived/, permanent delete, and bad requests."""

from __future__ import annotations

import json
import uuid

import pytest

import samples
from support import API, assert_error

pytestmark = pytest.mark.s3_semantics("archive moves and permanent deletes")


def test_soft_delete_archives_the_document(server):
    data = samples.pdf("soft delete me")
    entry = server.upload_ok([("to-archive.pdf", data)], entity_id="P-DEL")[0]

    response = server.delete_document(entry["key"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == entry["id"]
    assert body["key"] == entry["key"]
    assert body["permanent"] is False
    archived_key = body["archivedKey"]
    assert archived_key == "archived/" + entry["key"]

    assert entry["key"] not in {f["key"] for f in server.list_all(prefix="patients/P-DEL/")}
    assert_error(server.download(entry["key"]), 404, "not_found")
    archived = server.download(archived_key)
    assert archived.status_code == 200, archived.text
    assert archived.content == data
    assert server.download(id=entry["id"]).content == data, "the id still finds the archived document"
    assert server.object_exists(archived_key), "the object moved to archived/"
    assert not server.object_exists(entry["key"]), "nothing is left at the original key"

    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["http_status"]) == ("document.archive", "success", 200)


def test_permanent_delete_removes_document_and_bytes(server):
    entry = server.upload_ok([("to-destroy.txt", b"destroy me\n")], entity_id="P-DEL")[0]
    assert server.object_exists(entry["key"])

    response = server.delete_document(entry["key"], permanent=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["key"], body["permanent"]) == (entry["id"], entry["key"], True)

    assert_error(server.download(entry["key"]), 404, "not_found")
    assert_error(server.download(id=entry["id"]), 404, "not_found")
    assert not server.object_exists(entry["key"]), "the bytes are gone from the store"
    assert not server.object_exists("archived/" + entry["key"])
    assert server.query("SELECT COUNT(*) AS n FROM documents WHERE id = ?", (entry["id"],))[0]["n"] == 0
    assert entry["key"] not in {f["key"] for f in server.list_all(prefix="")}
    assert entry["key"] not in {f["key"] for f in server.list_all(prefix="archived/")}
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"]) == ("document.delete", "success")


def test_archived_document_can_then_be_deleted_permanently(server):
    entry = server.upload_ok([("twice.txt", b"twice\n")], entity_id="P-DEL")[0]
    archived_key = server.delete_document(entry["key"]).json()["archivedKey"]
    response = server.delete_document(archived_key, permanent=True)
    assert response.status_code == 200, response.text
    assert_error(server.download(archived_key), 404, "not_found")
    assert not server.object_exists(archived_key)
    assert not server.object_exists(entry["key"])


def test_deleting_twice_is_404(server):
    entry = server.upload_ok([("once.txt", b"once\n")], entity_id="P-DEL")[0]
    assert server.delete_document(entry["key"], permanent=True).status_code == 200
    assert_error(server.delete_document(entry["key"], permanent=True), 404, "not_found")


def test_unknown_key_is_404(server):
    response = server.delete_document(f"patients/P-DEL/other/{uuid.uuid4()}-ghost.txt")
    assert_error(response, 404, "not_found")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1 and rows[0]["outcome"] == "rejected" and rows[0]["http_status"] == 404


def test_invalid_key_is_400(server):
    assert_error(server.delete_document("patients/P-DEL/other/../../../etc/passwd"), 400, "invalid_key")


def test_bad_json_is_400(server):
    for body in (b"{not json", b"", b"[]", b'"just a string"'):
        response = server.delete(API + "/delete", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"]["code"] in ("invalid_json", "missing_parameter"), (body, response.text)
    assert_error(server.delete(API + "/delete", data=b"{not json", headers={"Content-Type": "application/json"}), 400, "invalid_json")


def test_missing_key_field_is_400(server):
    response = server.delete(API + "/delete", data=json.dumps({"permanent": True}), headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("missing_parameter", "invalid_json")


def test_permanent_must_be_a_boolean(server):
    entry = server.upload_ok([("typed.txt", b"typed\n")], entity_id="P-DEL")[0]
    response = server.delete(
        API + "/delete", data=json.dumps({"key": entry["key"], "permanent": "yes"}), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert server.download(entry["key"]).status_code == 200, "a refused delete must not delete"
    assert server.object_exists(entry["key"])
