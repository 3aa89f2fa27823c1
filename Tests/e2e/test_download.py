"""GET /api/v2/aws/s3/download: exact bytes, safe headers, byte ranges (RFC 9110 §14), key validation."""

from __future__ import annotations

import uuid
from urllib.parse import quote
from email.utils import parsedate_to_datetime

import pytest

import samples
from support import API, assert_error

pytestmark = pytest.mark.s3_semantics("reads and ranges")

RANGE_SIZE = 200_000  # spans several 64 KiB encryption chunks

FILES = {
    "report.pdf": (samples.pdf(), "application/pdf", "inline"),
    "xray.png": (samples.png(), "image/png", "inline"),
    "scan.jpg": (samples.jpeg(), "image/jpeg", "inline"),
    "wound.gif": (samples.gif(), "image/gif", "inline"),
    "rash.webp": (samples.webp(), "image/webp", "inline"),
    "chart.svg": (samples.SVG_SAFE, "image/svg+xml", "attachment"),
    "notes.txt": (samples.TEXT, "text/plain", "attachment"),
    "results.csv": (samples.CSV, "text/csv", "attachment"),
    "letter.docx": (samples.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "attachment"),
    "ct.dcm": (samples.dicom(), "application/dicom", "attachment"),
    "range.pdf": (samples.pdf_of_size(RANGE_SIZE), "application/pdf", "inline"),
}


@pytest.fixture(scope="module")
def stored(server):
    """name -> (upload entry, bytes) for every file in FILES."""
    uploaded = server.upload_ok([(name, data) for name, (data, _, _) in FILES.items()], category="imaging", entity_id="P-DL")
    return {entry["fileName"]: (entry, FILES[entry["fileName"]][0]) for entry in uploaded}


@pytest.mark.parametrize("name", sorted(FILES))
def test_download_returns_exact_bytes_and_safe_headers(server, stored, name):
    entry, data = stored[name]
    _, mime, disposition = FILES[name]
    response = server.download(entry["key"])
    assert response.status_code == 200, response.text
    assert response.content == data
    headers = response.headers
    assert headers["Content-Type"].split(";")[0].strip() == mime
    assert int(headers["Content-Length"]) == len(data)
    assert headers["ETag"].startswith(('"', 'W/"')) and headers["ETag"].endswith('"')
    parsedate_to_datetime(headers["Last-Modified"])  # an HTTP date
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Disposition"].split(";")[0].strip() == disposition
    assert name in headers["Content-Disposition"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in headers["Cache-Control"]
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp, csp
    assert headers.get("X-Request-Id")


def test_download_by_id_matches_download_by_key(server, stored):
    entry, data = stored["report.pdf"]
    by_id = server.download(id=entry["id"])
    assert by_id.status_code == 200, by_id.text
    assert by_id.content == data
    assert by_id.headers["ETag"] == server.download(entry["key"]).headers["ETag"]


@pytest.mark.parametrize("space", ["%20", "+"], ids=["percent-20", "form-plus"])
def test_key_with_a_space_in_the_query(server, space):
    """A file name may keep its spaces, so keys can hold them. In a query string a space arrives as %20 or,
    form-encoded (HTML forms, URLSearchParams, Python requests' `params=`), as `+`: both name the same key."""
    data = samples.pdf("spaced")
    entry = server.upload_ok([("discharge letter.pdf", data)], category="imaging", entity_id="P-DL")[0]
    assert " " in entry["key"]
    encoded = quote(entry["key"], safe="/").replace("%20", space)
    response = server.get(API + "/download?key=" + encoded)
    assert response.status_code == 200, response.text
    assert response.content == data
    presigned = server.get(API + "/download?presigned=true&key=" + encoded)
    assert presigned.status_code == 200, presigned.text


def test_download_is_audited(server, stored):
    entry, _ = stored["notes.txt"]
    response = server.download(entry["key"])
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["http_status"]) == ("document.download", "success", 200)
    assert rows[0]["document_key"] == entry["key"]


# --- ranges ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-0", 0, 0),
        ("bytes=0-9", 0, 9),
        ("bytes=65530-65545", 65530, 65545),  # across an encryption chunk boundary
        ("bytes=60000-140000", 60000, 140000),  # spans three chunks
        ("bytes=-1", RANGE_SIZE - 1, RANGE_SIZE - 1),
        ("bytes=-500", RANGE_SIZE - 500, RANGE_SIZE - 1),
        ("bytes=199000-", 199000, RANGE_SIZE - 1),
        ("bytes=100-99999999", 100, RANGE_SIZE - 1),  # last-pos past the end is clamped
        ("bytes=-99999999", 0, RANGE_SIZE - 1),  # suffix longer than the file: the whole file
    ],
)
def test_satisfiable_range_is_206(server, stored, header, start, end):
    entry, data = stored["range.pdf"]
    response = server.download(entry["key"], headers={"Range": header})
    assert response.status_code == 206, response.text[:200]
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{RANGE_SIZE}"
    assert int(response.headers["Content-Length"]) == end - start + 1
    assert response.content == data[start : end + 1]
    assert response.headers["ETag"] == server.download(entry["key"]).headers["ETag"]


@pytest.mark.parametrize("header", [f"bytes={RANGE_SIZE}-", f"bytes={RANGE_SIZE + 10}-{RANGE_SIZE + 20}", "bytes=-0"])
def test_unsatisfiable_range_is_416(server, stored, header):
    entry, _ = stored["range.pdf"]
    response = server.download(entry["key"], headers={"Range": header})
    assert response.status_code == 416, response.text[:200]
    assert response.headers["Content-Range"] == f"bytes */{RANGE_SIZE}"


def test_multiple_ranges_get_the_whole_file(server, stored):
    """The server does not build multipart/byteranges: it ignores a multi-range request (RFC 9110 §14.2 allows it)."""
    entry, data = stored["range.pdf"]
    response = server.download(entry["key"], headers={"Range": "bytes=0-1,10-11"})
    assert response.status_code == 200
    assert response.content == data


@pytest.mark.parametrize("header", ["bytes=abc", "items=0-5", "bytes=10-5"])
def test_invalid_range_header_is_ignored(server, stored, header):
    entry, data = stored["range.pdf"]
    response = server.download(entry["key"], headers={"Range": header})
    assert response.status_code == 200
    assert response.content == data


# --- bad requests ---------------------------------------------------------------------------------


def raw_get(server, query: str):
    """GET with a query string sent exactly as written (no re-encoding by requests)."""
    return server.get(API + "/download?" + query)


BAD_KEYS = {
    "dot-dot": "key=patients/P-DL/imaging/../../../etc/passwd",
    "encoded-dot-dot": "key=patients/P-DL/imaging/%2e%2e/%2e%2e/x.pdf",
    "double-encoded-dot-dot": "key=patients/P-DL/imaging/%252e%252e/x.pdf",
    "double-slash": "key=patients//imaging/x.pdf",
    "absolute": "key=/etc/passwd",
    "backslash": "key=patients\\P-DL\\imaging\\x.pdf",
    "control-char": "key=patients/P-DL/imaging/" + str(uuid.uuid4()) + "-a%01b.pdf",
    "foreign-prefix": "key=secrets/P-DL/imaging/" + str(uuid.uuid4()) + "-x.pdf",
    "unknown-folder": "key=patients/P-DL/xrays/" + str(uuid.uuid4()) + "-x.pdf",
    "no-uuid": "key=patients/P-DL/imaging/x.pdf",
    "empty": "key=",
}


@pytest.mark.parametrize("query", BAD_KEYS.values(), ids=BAD_KEYS.keys())
def test_invalid_key_is_400(server, query):
    response = raw_get(server, query)
    assert_error(response, 400, "invalid_key")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1 and rows[0]["outcome"] == "rejected" and rows[0]["error_code"] == "invalid_key"


def test_unknown_key_is_404(server):
    response = server.download(f"patients/P-DL/imaging/{uuid.uuid4()}-nothing.pdf")
    assert_error(response, 404, "not_found")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1 and (rows[0]["http_status"], rows[0]["error_code"]) == (404, "not_found")


def test_unknown_id_is_404(server):
    assert_error(server.download(id=str(uuid.uuid4())), 404, "not_found")


def test_key_and_id_together_are_refused(server, stored):
    entry, _ = stored["report.pdf"]
    assert_error(server.download(entry["key"], id=entry["id"]), 400, "invalid_parameter")


def test_neither_key_nor_id_is_refused(server):
    assert_error(server.get(API + "/download"), 400, "missing_parameter")


def test_malformed_id_is_refused(server):
    response = server.download(id="not-a-uuid")
    assert response.status_code in (400, 404), response.text
    assert response.json()["error"]["code"] in ("invalid_parameter", "not_found")
