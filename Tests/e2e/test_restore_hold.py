"""POST /api/v2/aws/s3/restore (an archived document back at its original key) and POST/DELETE
/api/v2/aws/s3/hold (a legal hold that blocks archiving and deleting), for administrators only."""

from __future__ import annotations

import json
import uuid

import pytest

import samples
from support import ADMIN, ADMIN_PASSWORD, API, Browser, assert_error

pytestmark = pytest.mark.s3_semantics("copies between prefixes and back")


def restore(server, auth=ADMIN, **body):
    return server.post(API + "/restore", data=json.dumps(body), headers={"Content-Type": "application/json"}, auth=auth)


def hold(server, auth=ADMIN, method: str = "POST", **body):
    return server.request(method, API + "/hold", data=json.dumps(body), headers={"Content-Type": "application/json"}, auth=auth)


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


# -- legal hold --------------------------------------------------------------------------------------


def test_hold_blocks_archive_and_delete_until_released(server):
    data = b"evidence\n"
    entry = server.upload_ok([("held.txt", data)], entity_id="P-RES")[0]

    response = hold(server, id=entry["id"], reason="Case 2026-14")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["key"], body["legalHold"]["reason"]) == (entry["id"], entry["key"], "Case 2026-14")
    assert body["legalHold"]["heldBy"] == server.user(server.admin_email)["id"]
    assert body["legalHold"]["heldAt"].endswith("Z")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["reason"], rows[0]["patient_id"]) == ("document.hold", "success", "Case 2026-14", "P-RES")

    listed = {f["key"]: f for f in server.list_all(prefix="patients/P-RES/")}
    assert listed[entry["key"]]["legalHold"] == body["legalHold"], "list shows the hold"

    for permanent in (None, True):
        refused = server.delete_document(entry["key"], permanent=permanent)
        assert_error(refused, 409, "legal_hold")
        rows = server.audit_rows(refused.headers["X-Request-Id"])
        assert (rows[0]["outcome"], rows[0]["error_code"]) == ("rejected", "legal_hold")
    assert server.object_exists(entry["key"]) and server.download(entry["key"]).content == data, "nothing moved or vanished"

    released = hold(server, method="DELETE", key=entry["key"])
    assert released.status_code == 200, released.text
    assert released.json() == {"id": entry["id"], "key": entry["key"], "legalHold": None}
    rows = server.audit_rows(released.headers["X-Request-Id"])
    assert (rows[0]["action"], rows[0]["outcome"]) == ("document.hold_release", "success")
    assert "legalHold" not in {f["key"]: f for f in server.list_all(prefix="patients/P-RES/")}[entry["key"]]
    assert_error(hold(server, method="DELETE", id=entry["id"]), 409, "not_held")
    assert server.delete_document(entry["key"]).status_code == 200, "released, it can be archived"


def test_a_held_archived_document_cannot_be_deleted_but_can_be_restored(server):
    entry, archived_key = archived_document(server, "held-archived.txt", b"archived evidence\n")
    assert hold(server, key=archived_key, reason="litigation").status_code == 200
    assert_error(server.delete_document(archived_key, permanent=True), 409, "legal_hold")
    assert server.object_exists(archived_key)
    response = restore(server, id=entry["id"])
    assert response.status_code == 200, response.text
    assert_error(server.delete_document(entry["key"]), 409, "legal_hold"), "the hold follows the document"


def test_hold_bad_requests(server):
    entry = server.upload_ok([("hold-bad.txt", b"x\n")], entity_id="P-RES")[0]
    assert_error(hold(server, id=entry["id"]), 400, "missing_parameter")
    assert_error(hold(server, id=entry["id"], reason="   "), 400, "missing_parameter")
    assert_error(hold(server, id=entry["id"], reason="x" * 501), 400, "invalid_parameter")
    assert_error(hold(server, reason="no document"), 400, "missing_parameter")
    assert_error(hold(server, id=entry["id"], key=entry["key"], reason="both"), 400, "invalid_parameter")
    assert_error(hold(server, id=str(uuid.uuid4()), reason="ghost"), 404, "not_found")
    assert_error(hold(server, method="DELETE", id=str(uuid.uuid4())), 404, "not_found")
    assert "legalHold" not in {f["key"]: f for f in server.list_all(prefix="patients/P-RES/")}[entry["key"]]


@pytest.mark.parametrize("role", ["patient", "provider"])
def test_only_administrators_hold_or_release(server, people, role):
    entry = server.upload_ok([(f"hold-{role}.txt", b"mine\n")], entity_id="P-RES", auth=people[role])[0]
    for method, body in (("POST", {"id": entry["id"], "reason": "mine"}), ("DELETE", {"id": entry["id"]})):
        response = hold(server, auth=people[role], method=method, **body)
        assert_error(response, 403, "forbidden")
        rows = server.audit_rows(response.headers["X-Request-Id"])
        assert rows[0]["outcome"] == "denied"
    assert_error(hold(server, auth=None, id=entry["id"], reason="anon"), 401, "unauthenticated")

    # An administrator's hold stops even the uploader's own archive, inside the 24-hour window.
    assert hold(server, id=entry["id"], reason="preserve").status_code == 200
    assert_error(server.delete_document(entry["key"], auth=people[role]), 409, "legal_hold")
    assert_error(hold(server, auth=people[role], method="DELETE", id=entry["id"]), 403, "forbidden")
    assert server.object_exists(entry["key"])


def test_storage_shows_the_hold(server):
    entry = server.upload_ok([("page-held.txt", b"held on the page\n")], entity_id="P-HOLDPAGE")[0]
    assert hold(server, id=entry["id"], reason="Matter <b>7</b>").status_code == 200
    browser = Browser(server)
    browser.signed_in(server.admin_email, ADMIN_PASSWORD)
    page = browser.get("/storage?prefix=patients/P-HOLDPAGE/")
    assert page.status_code == 200
    assert '<span class="badge held">Legal hold</span>' in page.text
    assert 'data-legal-hold="Matter &lt;b&gt;7&lt;/b&gt;, since ' in page.text, "the reason is escaped into the details"
    assert '<dd id="detail-legal-hold"></dd>' in page.text
