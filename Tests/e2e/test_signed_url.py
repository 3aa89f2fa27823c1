"""`GET /api/v2/documents/{id}/signed-url`: a fresh pre-signed URL for the id an app keeps (or its `ref`),
with `refreshAfter` and `Cache-Control: private, max-age=N` ending five minutes before expiry, under the
access policy and audit of `download?presigned=true`. Runs on every backend (the URL is fetched from
wherever it points: medvault itself on the local store, the bucket on S3).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

import samples
from support import ADMIN, assert_error, care_team_people, plain_get

pytestmark = pytest.mark.s3_semantics("pre-signed URLs")

PASSWORD = "Signed-Url-Passw0rd"
REASON = "ER: allergy history needed"
PDF = samples.pdf("signed url sample")


def signed_url_path(document_id: str) -> str:
    return f"/api/v2/documents/{document_id}/signed-url"



def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def people(server) -> dict[str, str]:
    return care_team_people(server, "su", PASSWORD) | {"admin": ADMIN}


@pytest.fixture(scope="module")
def document(server) -> dict:
    return server.upload_ok([("discharge.pdf", PDF)], category="medical-records", entity_id="su-p1")[0]


def test_upload_and_list_carry_the_ref_an_app_stores(server, document):
    assert document["ref"] == f"medvault://documents/{document['id']}"
    listed = server.list(prefix="patients/su-p1/")
    assert listed.status_code == 200, listed.text
    assert [entry["ref"] for entry in listed.json()["files"] if entry["id"] == document["id"]] == [document["ref"]]


def test_signed_url_fetches_the_bytes_and_says_how_long_to_cache_it(server, document):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    response = server.get(signed_url_path(document["id"]))
    after = datetime.now(timezone.utc)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"id", "url", "expiresAt", "refreshAfter"}
    assert body["id"] == document["id"]
    assert response.headers["Cache-Control"] == "private, max-age=3300"
    expires_at, refresh_after = instant(body["expiresAt"]), instant(body["refreshAfter"])
    assert before + timedelta(seconds=3600) <= expires_at <= after + timedelta(seconds=3600)
    assert expires_at - refresh_after == timedelta(seconds=300)
    fetched = plain_get(body["url"])
    assert fetched.status_code == 200, fetched.text[:300]
    assert fetched.content == PDF
    assert fetched.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(("expires", "max_age"), [("600", 300), ("301", 1), ("300", 0), ("60", 0), ("604800", 604500)])
def test_max_age_ends_five_minutes_before_expiry(server, document, expires, max_age):
    response = server.get(signed_url_path(document["id"]) + f"?expires={expires}")
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == f"private, max-age={max_age}"
    body = response.json()
    assert instant(body["expiresAt"]) - instant(body["refreshAfter"]) == timedelta(seconds=int(expires) - max_age)


def test_the_original_variant_is_the_default(server, document):
    response = server.get(signed_url_path(document["id"]) + "?variant=original")
    assert response.status_code == 200, response.text
    assert plain_get(response.json()["url"]).content == PDF


@pytest.mark.parametrize("query", ["expires=59", "expires=604801", "expires=abc", "expires=", "expires=1e3", "expires=60&expires=120"])
def test_a_bad_expires_is_400_invalid_expires_and_issues_nothing(server, document, query):
    response = server.get(signed_url_path(document["id"]) + "?" + query)
    error = assert_error(response, 400, "invalid_expires")
    assert "url" not in error
    assert response.headers["Cache-Control"] == "no-store"
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert [(r["action"], r["outcome"], r["error_code"]) for r in rows] == [("document.presign", "rejected", "invalid_expires")]


@pytest.mark.parametrize("query", ["variant=thumbnail", "variant=", "variant=original&variant=original"])
def test_an_unknown_variant_is_refused(server, document, query):
    response = server.get(signed_url_path(document["id"]) + "?" + query)
    assert_error(response, 400, "invalid_variant")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("not-a-uuid", "invalid_parameter"), ("0f8fad5b-d9cb-469f-a165-70867728950e-x", "invalid_parameter"), ("%2e%2e", "invalid_path")],
)
def test_an_id_that_is_not_a_uuid_is_400(server, raw, code):
    assert_error(server.get(signed_url_path(raw)), 400, code)


def test_an_unknown_id_is_404(server):
    assert_error(server.get(signed_url_path(str(uuid.uuid4()))), 404, "not_found")


def test_without_credentials_it_is_401(server, document):
    response = requests.get(server.url(signed_url_path(document["id"])), timeout=30)
    assert_error(response, 401, "unauthenticated")


def test_the_patient_gets_a_url_for_their_own_document(server, people, document):
    response = server.get(signed_url_path(document["id"]), auth=people["P1"])
    assert response.status_code == 200, response.text
    assert plain_get(response.json()["url"]).content == PDF
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    row = rows[0]
    assert (row["action"], row["outcome"], row["document_id"], row["patient_id"]) == ("document.presign", "success", document["id"], "su-p1")
    assert row["detail"].startswith("expires=3600s expiresAt=")


def test_another_patient_gets_404_as_if_it_did_not_exist(server, people, document):
    response = server.get(signed_url_path(document["id"]), auth=people["P2"])
    assert_error(response, 404, "not_found")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert [(r["action"], r["outcome"], r["document_id"]) for r in rows] == [("document.presign", "denied", document["id"])]


def test_a_provider_on_the_care_team_gets_a_url(server, people, document):
    response = server.get(signed_url_path(document["id"]), auth=people["D1"])
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "private, max-age=3300"


def test_a_provider_outside_the_care_team_must_break_the_glass(server, people, document):
    refused = server.get(signed_url_path(document["id"]), auth=people["D2"])
    assert_error(refused, 403, "break_glass_required")
    allowed = server.get(signed_url_path(document["id"]), auth=people["D2"], headers={"X-Break-Glass-Reason": REASON})
    assert allowed.status_code == 200, allowed.text
    # Break-glass URLs live at most 15 minutes, which is also their default.
    assert allowed.headers["Cache-Control"] == "private, max-age=600"
    row = server.audit_rows(allowed.headers["X-Request-Id"])[0]
    assert (row["break_glass"], row["reason"], row["outcome"]) == (1, REASON, "success")
    too_long = server.get(signed_url_path(document["id"]) + "?expires=3600", auth=people["D2"], headers={"X-Break-Glass-Reason": REASON})
    assert_error(too_long, 400, "invalid_expires")


def test_an_archived_document_is_for_administrators_only(server, people):
    entry = server.upload_ok([("old.pdf", PDF)], category="medical-records", entity_id="su-p1")[0]
    archived = server.delete_document(entry["key"])
    assert archived.status_code == 200, archived.text
    assert_error(server.get(signed_url_path(entry["id"]), auth=people["P1"]), 404, "not_found")
    assert server.get(signed_url_path(entry["id"])).status_code == 200
