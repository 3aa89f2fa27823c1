"""Size limits: a file over its limit is answered 413 as soon as the limit is crossed, not after the body.

Each over-limit test streams a chunked request that goes just past the limit and then stops sending
(no closing boundary, no last chunk). A server that waits for the whole body never answers and the
test fails on its timeout.
"""

from __future__ import annotations

import hashlib

import pytest

import samples
from support import MiB, stream_upload_until_response

# Bytes sent past the limit: enough to cover any read-ahead buffering, far less than the rest of a body.
MARGIN = 256 * 1024

FIELDS = [("category", "imaging"), ("entityId", "P-LIMITS"), ("entityType", "patient")]


@pytest.fixture(scope="module")
def limits(server):
    response = server.get("/api/v2/aws/s3/config")
    assert response.status_code == 200, response.text
    limits = response.json()["limits"]
    assert limits == {"imageMaxBytes": 10 * MiB, "documentMaxBytes": 25 * MiB, "maxFileBytes": 50 * MiB, "videoMaxBytes": 500 * MiB}
    return limits


@pytest.mark.parametrize(
    ("file_name", "head", "limit_name"),
    [
        ("huge.png", samples.png(), "imageMaxBytes"),
        ("huge.pdf", samples.pdf(), "documentMaxBytes"),
        ("huge.dcm", samples.dicom_stream_head(60 * MiB), "maxFileBytes"),
    ],
    ids=["image-over-10MiB", "document-over-25MiB", "dicom-over-50MiB"],
)
def test_over_limit_is_refused_before_the_body_ends(server, limits, file_name, head, limit_name):
    limit = limits[limit_name]
    documents_before = server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]
    objects_before = server.stored_objects()

    answer = stream_upload_until_response(
        server.port, FIELDS, file_name, head, file_bytes=limit + MARGIN, wait=30, token=server.admin_token
    )

    assert answer.status == 413, (answer.status, answer.body[:300])
    error = answer.json()["error"]
    assert error["code"] == "file_too_large"
    assert error["requestId"] == answer.headers.get("x-request-id")
    assert answer.file_bytes_sent <= limit + MARGIN
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == documents_before
    assert server.stored_objects() == objects_before, "a refused upload must leave no object behind"
    assert server.leftovers() == [], "a refused upload must leave no temporary file or incomplete multipart upload"
    rows = server.audit_rows(answer.headers["x-request-id"])
    assert len(rows) == 1
    assert (rows[0]["outcome"], rows[0]["http_status"], rows[0]["error_code"]) == ("rejected", 413, "file_too_large")


def test_server_still_serves_after_a_refused_upload(server, limits):
    stream_upload_until_response(
        server.port, FIELDS, "huge.png", samples.png(), file_bytes=limits["imageMaxBytes"] + MARGIN, token=server.admin_token
    )
    assert server.get("/healthz").status_code == 200
    server.upload_ok([("after.txt", b"still fine\n")], entity_id="P-LIMITS")


def test_image_exactly_at_the_limit_is_accepted(server, limits):
    data = samples.png_of_size(limits["imageMaxBytes"])
    files = server.upload_ok([("at-limit.png", data)], category="imaging", entity_id="P-LIMITS")
    assert files[0]["size"] == len(data)
    assert files[0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_image_one_byte_over_the_limit_is_refused(server, limits):
    answer = stream_upload_until_response(
        server.port, FIELDS, "over.png", samples.png(), file_bytes=limits["imageMaxBytes"] + 1, token=server.admin_token
    )
    assert answer.status == 413, (answer.status, answer.body[:300])
    assert answer.json()["error"]["code"] == "file_too_large"
