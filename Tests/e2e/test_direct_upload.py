"""Direct uploads: the client sends a file's bytes straight to storage through pre-signed URLs, and medvault makes a
document of them only after verifying what actually arrived.

Runs on every backend: on the local store the URLs point at medvault itself (PUT objects/quarantine/…), on an S3 run
at the bucket, so the client code below is the same for both. Refusals must leave nothing readable: no row, and no
object under quarantine/ or a document key.
"""

from __future__ import annotations

import hashlib
import time

import pytest
import requests

import samples
from clamd import MARKER
from support import API, assert_error

pytestmark = pytest.mark.s3_semantics("multipart uploads and pre-signed part URLs")

UPLOADS = API + "/uploads"
PATIENT = "P-DIRECT"


def create(server, data: bytes, name: str = "scan.pdf", auth=None, sha256: bool = True, size: int | None = None, **fields):
    body = {
        "fileName": name,
        "size": len(data) if size is None else size,
        "category": "medical-records",
        "entityType": "patient",
        "entityId": PATIENT,
    } | fields
    if sha256:
        body["sha256"] = hashlib.sha256(data).hexdigest()
    kwargs = {} if auth is None else {"auth": auth}
    return server.post(UPLOADS, json=body, **kwargs)


def put(part: dict, data: bytes) -> requests.Response:
    """What a browser does with one part: PUT the bytes to its URL with the listed headers (Content-Length comes from
    the body)."""
    return requests.put(part["url"], data=data, headers=part["headers"], timeout=30)


def upload(server, data: bytes, name: str = "scan.pdf", **kwargs) -> dict:
    """Creates a session and sends its one part; returns the session."""
    response = create(server, data, name, **kwargs)
    assert response.status_code == 201, response.text
    session = response.json()
    assert len(session["parts"]) == 1
    sent = put(session["parts"][0], data)
    assert sent.status_code == 200, sent.text
    return session


def complete(server, upload_id: str, auth=None) -> requests.Response:
    kwargs = {} if auth is None else {"auth": auth}
    return server.post(f"{UPLOADS}/{upload_id}/complete", json={"parts": []}, **kwargs)


def status(server, upload_id: str, auth=None) -> requests.Response:
    kwargs = {} if auth is None else {"auth": auth}
    return server.get(f"{UPLOADS}/{upload_id}", **kwargs)


def quarantined(server) -> list[str]:
    return [key for key in server.stored_objects() if key.startswith("quarantine/")]


@pytest.fixture(scope="module")
def patient(server) -> str:
    server.add_user("direct.patient@example.org", "patient", patient_id=PATIENT)
    return server.token_for("direct.patient@example.org")


@pytest.fixture(scope="module")
def other_patient(server) -> str:
    server.add_user("direct.other@example.org", "patient", patient_id="P-OTHER")
    return server.token_for("direct.other@example.org")


def test_single_part_upload_becomes_a_document_only_when_completed(server, patient):
    data = samples.pdf("direct upload")
    response = create(server, data, auth=patient)
    assert response.status_code == 201, response.text
    session = response.json()
    assert set(session) == {"uploadId", "expiresAt", "partSize", "parts"}
    assert session["partSize"] == 8 * 1024 * 1024
    [part] = session["parts"]
    assert part["partNumber"] == 1
    assert part["headers"]["x-amz-checksum-sha256"]
    assert "X-Amz-Signature=" in part["url"] and "quarantine/" + session["uploadId"] in part["url"]

    pending = status(server, session["uploadId"], auth=patient).json()
    assert pending["state"] == "pending" and pending["receivedParts"] == [] and len(pending["parts"]) == 1

    assert put(part, data).status_code == 200
    received = status(server, session["uploadId"], auth=patient).json()
    assert [p["partNumber"] for p in received["receivedParts"]] == [1] and received["receivedParts"][0]["size"] == len(data)
    assert received["parts"] == []
    # Nothing is readable yet: no row for the id, and quarantine/ is no document key.
    assert server.download(id=session["uploadId"]).status_code == 404
    assert_error(server.download(key="quarantine/" + session["uploadId"]), 400, "invalid_key")

    done = complete(server, session["uploadId"], auth=patient)
    assert done.status_code == 201, done.text
    document = done.json()
    assert document["id"] == session["uploadId"]
    assert document["contentType"] == "application/pdf" and document["size"] == len(data)
    assert document["sha256"] == hashlib.sha256(data).hexdigest()
    assert document["key"].startswith(f"patients/{PATIENT}/medical-records/{session['uploadId']}-")
    downloaded = server.download(id=document["id"], auth=patient)
    assert downloaded.status_code == 200 and downloaded.content == data
    assert quarantined(server) == []
    assert status(server, session["uploadId"], auth=patient).json()["state"] == "accepted"
    actions = [row["action"] for row in server.query("SELECT action FROM audit_events WHERE document_id = ?", (document["id"],))]
    assert actions[:1] == ["upload.create"] and {"document.upload", "upload.complete"} <= set(actions)
    assert_error(complete(server, session["uploadId"], auth=patient), 409, "upload_closed")


def test_completion_without_sha256_and_without_a_body(server):
    data = samples.png()
    session = upload(server, data, name="photo.png", sha256=False)
    assert "x-amz-checksum-sha256" not in session["parts"][0]["headers"]
    done = server.post(f"{UPLOADS}/{session['uploadId']}/complete")
    assert done.status_code == 201, done.text
    assert done.json()["contentType"] == "image/png"


def test_completing_before_anything_arrived_keeps_the_session_pending(server):
    session = create(server, samples.pdf()).json()
    assert_error(complete(server, session["uploadId"]), 409, "upload_incomplete")
    assert status(server, session["uploadId"]).json()["state"] == "pending"


@pytest.mark.parametrize(
    ("fields", "name", "size", "status_code", "code"),
    [
        ({}, "tool.exe", 100, 415, "unsupported_type"),
        ({}, "noextension", 100, 415, "missing_extension"),
        ({}, "big.png", 11 * 1024 * 1024, 413, "file_too_large"),
        ({}, "empty.pdf", 0, 400, "empty_file"),
        ({"category": "nope"}, "scan.pdf", 100, 400, "invalid_category"),
        ({"category": "chat-image", "entityType": "patient"}, "photo.png", 100, 400, "invalid_category"),
        ({"entityId": "../x"}, "scan.pdf", 100, 400, "invalid_entity_id"),
    ],
)
def test_create_refuses_before_signing(server, fields, name, size, status_code, code):
    before = server.query("SELECT COUNT(*) AS n FROM upload_sessions")[0]["n"]
    assert_error(create(server, b"x", name=name, size=size, sha256=False, **fields), status_code, code)
    assert server.query("SELECT COUNT(*) AS n FROM upload_sessions")[0]["n"] == before


def test_create_refuses_a_malformed_sha256(server):
    body = {"fileName": "a.pdf", "size": 5, "category": "other", "entityType": "patient", "entityId": PATIENT, "sha256": "abc"}
    assert_error(server.post(UPLOADS, json=body), 400, "invalid_parameter")


def test_another_patients_entity_is_refused_at_create(server, other_patient):
    assert_error(create(server, samples.pdf(), auth=other_patient), 403, "forbidden")
    assert_error(server.post(UPLOADS, json={}, auth=None), 401, "unauthenticated")


def test_nobody_else_learns_a_session_exists(server, patient, other_patient):
    session = create(server, samples.pdf(), auth=patient).json()
    for response in (
        status(server, session["uploadId"], auth=other_patient),
        complete(server, session["uploadId"], auth=other_patient),
        server.delete(f"{UPLOADS}/{session['uploadId']}", auth=other_patient),
        status(server, "00000000-0000-4000-8000-000000000000", auth=patient),
        status(server, "not-a-uuid", auth=patient),
    ):
        assert_error(response, 404, "not_found")
    assert status(server, session["uploadId"]).status_code == 200, "an admin may read any session"
    assert status(server, session["uploadId"], auth=patient).json()["state"] == "pending"


def skip_unless_signatures_are_checked(server, backend):
    if backend == "moto":
        pytest.skip("moto checks no signatures on pre-signed URLs; ministack (AUTH=true) and the local store do")


def test_a_body_of_another_length_is_refused_by_storage(server, backend):
    skip_unless_signatures_are_checked(server, backend)
    data = samples.pdf("length")
    session = create(server, data).json()
    part = session["parts"][0]
    assert put(part, data[:-1]).status_code in (400, 403)
    assert put(part, data + b"!").status_code in (400, 403)
    assert quarantined(server) == []


def test_other_content_of_the_declared_length_is_refused(server):
    data = samples.pdf("declared content")
    other = data.replace(b"declared", b"DECLARED")
    session = create(server, data).json()
    sent = put(session["parts"][0], other)
    if sent.status_code == 200:
        # The storage did not check x-amz-checksum-sha256 itself: verification does.
        assert_error(complete(server, session["uploadId"]), 422, "checksum_mismatch")
        assert status(server, session["uploadId"]).json()["state"] == "rejected"
    else:
        assert sent.status_code == 400, sent.text
    assert quarantined(server) == []
    assert server.download(id=session["uploadId"]).status_code == 404


def test_html_named_png_is_refused_at_complete_with_nothing_left(server):
    session = upload(server, samples.HTML, name="scan.png")
    assert_error(complete(server, session["uploadId"]), 422, "unsupported_type")
    rejected = status(server, session["uploadId"]).json()
    assert rejected["state"] == "rejected" and rejected["rejectionCode"] == "unsupported_type"
    assert quarantined(server) == []
    assert server.query("SELECT COUNT(*) AS n FROM documents WHERE id = ?", (session["uploadId"],))[0]["n"] == 0
    row = server.query("SELECT outcome, error_code FROM audit_events WHERE action = 'upload.complete' AND document_id = ?", (session["uploadId"],))
    assert row == [{"outcome": "rejected", "error_code": "unsupported_type"}]


def test_a_tampered_url_is_refused(server, backend):
    skip_unless_signatures_are_checked(server, backend)
    data = samples.pdf()
    part = create(server, data).json()["parts"][0]
    tampered = dict(part, url=part["url"].replace("quarantine/", "quarantine/0"))
    assert put(tampered, data).status_code == 403
    unsigned = dict(part, headers={})
    assert put(unsigned, data).status_code in (400, 403)


def test_abort_removes_what_was_staged(server, patient):
    data = samples.pdf("abort")
    session = upload(server, data, auth=patient)
    response = server.delete(f"{UPLOADS}/{session['uploadId']}", auth=patient)
    assert response.status_code == 204, response.text
    assert status(server, session["uploadId"], auth=patient).json()["state"] == "aborted"
    assert quarantined(server) == []
    assert_error(complete(server, session["uploadId"], auth=patient), 409, "upload_closed")
    assert_error(server.delete(f"{UPLOADS}/{session['uploadId']}", auth=patient), 409, "upload_closed")
    if not server.on_s3:
        assert_error(put(session["parts"][0], data), 409, "upload_closed")


def test_expired_sessions_are_swept(start_server):
    swept = start_server({"MEDVAULT_UPLOAD_URL_TTL": "2", "MEDVAULT_UPLOAD_INTENT_GRACE": "1"}, name="expiry")
    session = upload(swept, samples.pdf("expiry"))
    deadline = time.monotonic() + 15
    while status(swept, session["uploadId"]).json()["state"] != "expired":
        assert time.monotonic() < deadline, "the session did not expire"
        time.sleep(0.25)
    assert quarantined(swept) == []
    assert_error(complete(swept, session["uploadId"]), 409, "upload_closed")


def test_settings_are_checked_at_start(tmp_path):
    from support import run_cli

    for env in ({"MEDVAULT_UPLOAD_PART_MB": "4"}, {"MEDVAULT_UPLOAD_URL_TTL": "3601"}):
        result = run_cli(["serve", "--data-dir", str(tmp_path)], env=env, timeout=30)
        assert result.returncode != 0
        assert next(iter(env)) in result.stderr


def test_malware_is_refused_at_complete(start_server, clamd_url):
    scanning = start_server({"MEDVAULT_CLAMD_URL": clamd_url}, name="direct-av")
    polyglot = samples.pdf("report") + b"\n%" + MARKER + b"\n"
    session = upload(scanning, polyglot, name="report.pdf")
    assert_error(complete(scanning, session["uploadId"]), 422, "malware_detected")
    assert [key for key in scanning.stored_objects() if key.startswith("quarantine/")] == []
    clean = upload(scanning, samples.pdf("clean"), name="clean.pdf")
    assert complete(scanning, clean["uploadId"]).status_code == 201


@pytest.fixture(scope="module")
def parted(tmp_path_factory):
    """A server with 5 MiB parts (S3's minimum), so that an 11 MiB file goes up in three parts."""
    from support import launch_server

    started = launch_server(tmp_path_factory.mktemp("direct-parts"), "direct-parts", {"MEDVAULT_UPLOAD_PART_MB": "5"})
    yield started
    started.shutdown()


def test_multipart_upload_resumes_after_a_dropped_connection(parted):
    data = samples.pdf_of_size(11 * 1024 * 1024 + 123)
    session = create(parted, data).json()
    assert session["partSize"] == 5 * 1024 * 1024 and [p["partNumber"] for p in session["parts"]] == [1, 2, 3]
    etags = {}
    for part in session["parts"][:2]:
        start = (part["partNumber"] - 1) * session["partSize"]
        sent = put(part, data[start : start + session["partSize"]])
        assert sent.status_code == 200, sent.text
        etags[part["partNumber"]] = sent.headers["ETag"]
    # The connection drops: the client asks what arrived and gets a fresh URL for the rest only.
    response = status(parted, session["uploadId"])
    assert response.status_code == 200, response.text
    resumed = response.json()
    assert [p["partNumber"] for p in resumed["receivedParts"]] == [1, 2]
    assert [p["partNumber"] for p in resumed["parts"]] == [3]
    assert_error(complete(parted, session["uploadId"]), 409, "upload_incomplete")
    last = put(resumed["parts"][0], data[2 * session["partSize"] :])
    assert last.status_code == 200, last.text
    etags[3] = last.headers["ETag"]
    listed = [{"partNumber": n, "etag": etags[n]} for n in (1, 2, 3)]
    wrong = [dict(p, etag='"0123"') if p["partNumber"] == 2 else p for p in listed]
    assert_error(parted.post(f"{UPLOADS}/{session['uploadId']}/complete", json={"parts": wrong}), 400, "invalid_parts")
    done = parted.post(f"{UPLOADS}/{session['uploadId']}/complete", json={"parts": listed})
    assert done.status_code == 201, done.text
    document = done.json()
    assert document["size"] == len(data) and document["sha256"] == hashlib.sha256(data).hexdigest()
    downloaded = parted.download(id=document["id"])
    assert downloaded.status_code == 200 and downloaded.content == data
    assert quarantined(parted) == []
    assert parted.leftovers() == []


def test_multipart_upload_with_other_content_is_refused_at_complete(parted):
    data = samples.pdf_of_size(6 * 1024 * 1024)
    session = create(parted, data).json()
    other = data[:-10] + b"0123456789"
    etags = []
    for part in session["parts"]:
        start = (part["partNumber"] - 1) * session["partSize"]
        sent = put(part, other[start : start + session["partSize"]])
        assert sent.status_code == 200, sent.text
        etags.append({"partNumber": part["partNumber"], "etag": sent.headers["ETag"]})
    assert_error(parted.post(f"{UPLOADS}/{session['uploadId']}/complete", json={"parts": etags}), 422, "checksum_mismatch")
    assert quarantined(parted) == []
    assert parted.leftovers() == []


def test_aborting_a_multipart_upload_removes_its_parts(parted):
    data = samples.pdf_of_size(6 * 1024 * 1024)
    session = create(parted, data).json()
    assert put(session["parts"][0], data[: session["partSize"]]).status_code == 200
    assert parted.delete(f"{UPLOADS}/{session['uploadId']}").status_code == 204
    assert quarantined(parted) == []
    assert parted.leftovers() == []


def test_uploads_sweep_expires_sessions_from_the_command_line(start_server):
    quick = start_server({"MEDVAULT_UPLOAD_URL_TTL": "1"}, name="sweep-cli")
    session = upload(quick, samples.pdf("sweep"))
    time.sleep(1.5)
    result = quick.cli(["uploads", "sweep"])
    assert result.returncode == 0, result.stderr
    assert "expired direct upload sessions: 1" in result.stdout, result.stdout
    assert status(quick, session["uploadId"]).json()["state"] == "expired"
    assert quarantined(quick) == []
