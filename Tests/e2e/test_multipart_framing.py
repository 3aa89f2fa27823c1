"""What surrounds a multipart body's parts is bounded: at most 4 KiB of preamble before the first boundary and
4 KiB of epilogue after the closing one, else 400 `malformed_multipart` and nothing stored.

Each test streams a chunked request whose preamble or epilogue goes on far past the bound and then stops
sending (no last chunk). A server that reads such a body to its end never answers, and the test fails on its
timeout.
"""

from __future__ import annotations

import pytest

import samples
from support import multipart_body, stream_body_until_response

pytestmark = pytest.mark.database_agnostic("multipart framing is refused before any database call")

BOUND = 4 * 1024
# Far more than any read-ahead buffering, far less than a body an attacker would send.
SENT = 8 * 1024 * 1024
FIELDS = [("category", "lab-results"), ("entityType", "patient"), ("entityId", "P-FRAMING")]


def documents(server) -> int:
    return server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]


def assert_refused_early(server, answer, objects_before, documents_before):
    assert answer.status == 400, (answer.status, answer.body[:300])
    error = answer.json()["error"]
    assert error["code"] == "malformed_multipart"
    assert error["requestId"] == answer.headers.get("x-request-id")
    assert not answer.sending_finished and answer.file_bytes_sent < SENT, "the server must answer before the body ends"
    assert documents(server) == documents_before
    assert server.stored_objects() == objects_before, "a refused upload must leave no object behind"
    assert server.leftovers() == []
    rows = server.audit_rows(answer.headers["x-request-id"])
    assert (rows[0]["outcome"], rows[0]["http_status"], rows[0]["error_code"]) == ("rejected", 400, "malformed_multipart")


def test_an_endless_epilogue_after_a_valid_upload_is_refused(server):
    content_type, body = multipart_body(FIELDS, [("cbc.pdf", samples.pdf(), "application/pdf")])
    objects_before, documents_before = server.stored_objects(), documents(server)
    answer = stream_body_until_response(server.port, content_type, body, b"", SENT, filler=b"epilogue ", token=server.admin_token)
    assert_refused_early(server, answer, objects_before, documents_before)


def test_an_endless_preamble_is_refused(server):
    content_type, body = multipart_body(FIELDS, [("cbc.pdf", samples.pdf(), "application/pdf")])
    objects_before, documents_before = server.stored_objects(), documents(server)
    answer = stream_body_until_response(server.port, content_type, b"", b"", SENT, filler=b"preamble\r\n", token=server.admin_token)
    assert_refused_early(server, answer, objects_before, documents_before)


@pytest.mark.parametrize("where", ["preamble", "epilogue"])
def test_a_short_preamble_or_epilogue_is_ignored(server, where):
    content_type, body = multipart_body(FIELDS, [(f"{where}.pdf", samples.pdf(), "application/pdf")])
    # Exactly the bound: the line break before the first boundary belongs to it, and the body already ends with
    # a line break after the closing one.
    body = b"x" * BOUND + b"\r\n" + body if where == "preamble" else body + b"x" * (BOUND - 2)
    response = server.post("/api/v2/aws/s3/upload", data=body, headers={"Content-Type": content_type})
    assert response.status_code == 201, response.text
    assert response.json()["files"][0]["fileName"] == f"{where}.pdf"
