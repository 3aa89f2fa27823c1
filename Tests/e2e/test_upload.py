"""POST /api/v2/aws/s3/upload: accepted types, key layout, sanitised names, every rejection, all-or-nothing."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest

import samples
from support import API, CATEGORIES, CATEGORY_FOLDER, ENTITY_ROOT, USER_AGENT, assert_error, multipart_body

pytestmark = pytest.mark.s3_semantics("writes, metadata and encryption headers")

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

ACCEPTED = [
    ("scan.jpg", samples.jpeg(), "image/jpeg"),
    ("photo.jpeg", samples.jpeg(), "image/jpeg"),
    ("xray.png", samples.png(), "image/png"),
    ("SCAN.PNG", samples.png(), "image/png"),
    ("wound.gif", samples.gif(), "image/gif"),
    ("rash.webp", samples.webp(), "image/webp"),
    ("chart.svg", samples.SVG_SAFE, "image/svg+xml"),
    ("report.pdf", samples.pdf(), "application/pdf"),
    ("letter.doc", samples.doc(), "application/msword"),
    ("letter.docx", samples.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("late-entry.docx", samples.docx(late_word_entry=True), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("sheet.xls", samples.xls(), "application/vnd.ms-excel"),
    ("sheet.xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("notes.txt", samples.TEXT, "text/plain"),
    ("results.csv", samples.CSV, "text/csv"),
    ("ct-head.dcm", samples.dicom(preamble=True), "application/dicom"),
    ("ct-raw.dcm", samples.dicom(preamble=False), "application/dicom"),
    ("mri.dicom", samples.dicom(preamble=True), "application/dicom"),
]


def document_count(server) -> int:
    return server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]


def assert_document_fields(entry: dict, name: str, data: bytes, mime: str, category: str, entity_type: str, entity_id: str):
    assert entry["fileName"] == name
    assert entry["size"] == len(data)
    assert entry["contentType"] == mime
    assert entry["category"] == category
    assert entry["entityType"] == entity_type
    assert entry["entityId"] == entity_id
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert re.fullmatch(UUID, entry["id"]), entry["id"]
    folder = CATEGORY_FOLDER[category]
    pattern = rf"{ENTITY_ROOT[entity_type]}/{re.escape(entity_id)}/{folder}/{UUID}-{re.escape(name)}"
    assert re.fullmatch(pattern, entry["key"]), entry["key"]
    uploaded = datetime.fromisoformat(entry["uploadedAt"].replace("Z", "+00:00"))
    assert uploaded.tzinfo is not None
    assert abs(datetime.now(timezone.utc) - uploaded) < timedelta(minutes=5)
    assert isinstance(entry["url"], str) and entry["url"]


@pytest.mark.parametrize(("name", "data", "mime"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_allowed_type_is_stored_with_sniffed_type(server, name, data, mime):
    response = server.upload([(name, data)], category="medical-records", entity_id="P-TYPES", entity_type="patient")
    assert response.status_code == 201, response.text
    assert response.headers.get("X-Request-Id")
    files = response.json()["files"]
    assert len(files) == 1
    assert_document_fields(files[0], name, data, mime, "medical-records", "patient", "P-TYPES")

    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    row = rows[0]
    assert (row["action"], row["outcome"], row["http_status"], row["error_code"]) == ("document.upload", "success", 201, None)
    assert row["document_key"] == files[0]["key"]
    assert row["client_address"] in ("127.0.0.1", "::ffff:127.0.0.1")
    assert row["user_agent"] == USER_AGENT


def test_declared_part_content_type_is_ignored(server):
    """The type is what the bytes say, not what the client claims."""
    files = server.upload_ok([("claimed.png", samples.png(), "application/pdf")], entity_id="P-CLAIM")
    assert files[0]["contentType"] == "image/png"


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_maps_to_folder(server, category):
    files = server.upload_ok([("doc.txt", samples.TEXT)], category=category, entity_id="P-CATS")
    assert_document_fields(files[0], "doc.txt", samples.TEXT, "text/plain", category, "patient", "P-CATS")
    assert files[0]["key"].startswith(f"patients/P-CATS/{CATEGORY_FOLDER[category]}/")


@pytest.mark.parametrize("entity_type", sorted(ENTITY_ROOT))
def test_entity_type_maps_to_root(server, entity_type):
    files = server.upload_ok([("doc.pdf", samples.pdf())], category="other", entity_type=entity_type, entity_id="E_42-x")
    assert files[0]["key"].startswith(f"{ENTITY_ROOT[entity_type]}/E_42-x/other/")


def test_several_files_in_one_request(server):
    batch = [("a.txt", b"first file\n"), ("b.pdf", samples.pdf("second")), ("c.png", samples.png(3, 3))]
    response = server.upload(batch, category="lab-results", entity_id="P-MULTI")
    assert response.status_code == 201, response.text
    files = response.json()["files"]
    assert [f["fileName"] for f in files] == ["a.txt", "b.pdf", "c.png"]
    assert len({f["id"] for f in files}) == 3 and len({f["key"] for f in files}) == 3
    for entry, (_, data) in zip(files, batch, strict=True):
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert server.download(entry["key"]).content == data
    rows = server.audit_rows(response.headers["X-Request-Id"], expected=3)
    assert len(rows) == 3, "one audit row per stored file"
    assert sorted(r["document_key"] for r in rows) == sorted(f["key"] for f in files)
    assert {r["outcome"] for r in rows} == {"success"}


def test_twenty_files_per_request_at_most(server):
    """The server's own cap (not in the API contract): 20 file parts pass, 21 are refused whole."""
    assert len(server.upload_ok([(f"g{i:02d}.txt", b"x\n") for i in range(20)], entity_id="P-MANY")) == 20
    before = document_count(server)
    response = server.upload([(f"f{i:02d}.txt", b"x\n") for i in range(21)], entity_id="P-MANY")
    assert_error(response, 400, "too_many_files")
    assert document_count(server) == before


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\Desktop\\scan.png", "scan.png"),
        ("re\x01po\x1frt\x7f.txt", "report.txt"),
    ],
    ids=["dot-dot-path", "windows-path", "control-chars"],
)
def test_file_name_is_sanitised(server, raw, expected):
    data = samples.png() if expected.endswith(".png") else b"plain text\n"
    files = server.upload_ok([(raw, data)], entity_id="P-NAMES")
    assert files[0]["fileName"] == expected
    assert files[0]["key"].startswith("patients/P-NAMES/medical-records/")
    assert files[0]["key"].endswith("-" + expected)
    assert server.download(files[0]["key"]).content == data
    assert server.object_exists(files[0]["key"])


def test_long_file_name_is_cut_keeping_extension(server):
    raw = "Very-long-discharge-letter-" + "x" * 300 + ".pdf"
    files = server.upload_ok([(raw, samples.pdf())], entity_id="P-NAMES")
    name = files[0]["fileName"]
    assert name.endswith(".pdf")
    assert name.startswith("Very-long-discharge-letter-")
    assert len(name.encode()) <= 255 < len(raw)
    assert files[0]["key"].endswith("-" + name)


# --- rejections ---------------------------------------------------------------------------------

REJECTIONS = [
    # (id, fields override, files, status, code)
    ("unknown-category", {"category": "x-rays"}, [("a.txt", samples.TEXT)], 400, "invalid_category"),
    ("bad-entity-type", {"entityType": "patients"}, [("a.txt", samples.TEXT)], 400, "invalid_entity_type"),
    ("entity-id-dotdot", {"entityId": "../P1"}, [("a.txt", samples.TEXT)], 400, "invalid_entity_id"),
    ("entity-id-slash", {"entityId": "P1/other"}, [("a.txt", samples.TEXT)], 400, "invalid_entity_id"),
    ("entity-id-space", {"entityId": "P 1"}, [("a.txt", samples.TEXT)], 400, "invalid_entity_id"),
    ("entity-id-unicode", {"entityId": "P\u00e91"}, [("a.txt", samples.TEXT)], 400, "invalid_entity_id"),
    ("entity-id-too-long", {"entityId": "P" * 65}, [("a.txt", samples.TEXT)], 400, "invalid_entity_id"),
    ("missing-category", {"category": None}, [("a.txt", samples.TEXT)], 400, "missing_field"),
    ("missing-entity-id", {"entityId": None}, [("a.txt", samples.TEXT)], 400, "missing_field"),
    ("missing-entity-type", {"entityType": None}, [("a.txt", samples.TEXT)], 400, "missing_field"),
    ("no-file-part", {}, [], 400, "no_file"),
    ("empty-file", {}, [("empty.pdf", b"")], 400, "empty_file"),
    ("zip", {}, [("archive.zip", samples.plain_zip())], 415, "unsupported_type"),
    ("executable", {}, [("program.exe", samples.elf())], 415, "unsupported_type"),
    ("html", {}, [("page.html", samples.HTML)], 415, "unsupported_type"),
    ("zip-named-docx", {}, [("letter.docx", samples.plain_zip())], 415, None),
    ("png-named-pdf", {}, [("report.pdf", samples.png())], 415, "type_mismatch"),
    ("elf-named-pdf", {}, [("report.pdf", samples.elf())], 415, "unsupported_type"),
    ("html-named-png", {}, [("xray.png", samples.HTML)], 415, "unsupported_type"),
    ("pdf-named-dcm", {}, [("scan.dcm", samples.pdf())], 415, "type_mismatch"),
    ("svg-script", {}, [("chart.svg", samples.svg_unsafe("script"))], 415, "unsafe_svg"),
    ("svg-onload", {}, [("chart.svg", samples.svg_unsafe("onload"))], 415, "unsafe_svg"),
    ("svg-javascript", {}, [("chart.svg", samples.svg_unsafe("javascript"))], 415, "unsafe_svg"),
    ("svg-external-href", {}, [("chart.svg", samples.svg_unsafe("external_href"))], 415, "unsafe_svg"),
    ("no-extension", {}, [("README", samples.TEXT)], 415, "missing_extension"),
    ("shell-script-named-txt", {}, [("notes.txt", b"#!/bin/sh\necho hello\n")], 415, "unsupported_type"),
    ("python-script-named-csv", {}, [("data.csv", b"#!/usr/bin/env python3\nprint(1)\n")], 415, "unsupported_type"),
    ("shebang-libmagic-calls-text", {}, [("notes.txt", b"#!/usr/bin/env pwsh\nWrite-Host 1\n")], 415, "unsupported_type"),
    ("batch-file-named-txt", {}, [("notes.txt", b"@echo off\r\ndel C:\\x\r\n")], 415, "unsupported_type"),
    ("one-bad-file-among-good", {}, [("ok.txt", samples.TEXT), ("ok.pdf", samples.pdf()), ("bad.exe", samples.elf())], 415, "unsupported_type"),
    ("good-then-empty", {}, [("ok.pdf", samples.pdf()), ("empty.txt", b"")], 400, "empty_file"),
]

# What the 415 message must name for a content/extension mismatch: the type that was really found.
FOUND_TYPE = {
    "png-named-pdf": "image/png",
    "elf-named-pdf": "application/x-executable",
    "html-named-png": "text/html",
    "shell-script-named-txt": "text/x-shellscript",
    "shebang-libmagic-calls-text": "#!",
}


@pytest.mark.parametrize(("fields", "files", "status", "code"), [r[1:] for r in REJECTIONS], ids=[r[0] for r in REJECTIONS])
def test_rejected_upload_stores_nothing(server, request, fields, files, status, code):
    case = request.node.callspec.id
    values = {"category": "medical-records", "entityId": "P-REJECT", "entityType": "patient"} | fields
    documents_before, objects_before = document_count(server), server.stored_objects()

    response = server.upload(files, category=values["category"], entity_id=values["entityId"], entity_type=values["entityType"])

    if code is None:  # a zip that is not OOXML: refused as a mismatch or as unsupported, both 415
        assert response.status_code == 415, response.text
        code = response.json()["error"]["code"]
        assert code in ("type_mismatch", "unsupported_type")
    error = assert_error(response, status, code)
    if case in FOUND_TYPE:
        assert FOUND_TYPE[case] in error["message"], error["message"]
    if code == "invalid_category":
        for category in CATEGORIES:
            assert category in error["message"], f"{category} missing from: {error['message']}"

    assert document_count(server) == documents_before, "a rejected upload must store no document"
    assert server.stored_objects() == objects_before, "a rejected upload must leave no object behind"
    assert server.leftovers() == [], "temporary files or incomplete multipart uploads left behind"

    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1, f"expected one audit row for the rejected call, got {len(rows)}"
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["http_status"], rows[0]["error_code"]) == (
        "document.upload",
        "rejected",
        status,
        code,
    )


def test_error_messages_do_not_echo_file_names(server):
    response = server.upload([("secret-name-xyz.pdf", samples.png())])
    error = assert_error(response, 415, "type_mismatch")
    assert "secret-name-xyz" not in error["message"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"category":"other"}'),
        ("application/x-www-form-urlencoded", b"category=other&entityId=P1&entityType=patient"),
        ("text/plain", b"hello"),
    ],
)
def test_non_multipart_body_is_refused(server, content_type, body):
    response = server.post(API + "/upload", data=body, headers={"Content-Type": content_type})
    assert_error(response, 415, "expected_multipart")
    assert len(server.audit_rows(response.headers["X-Request-Id"])) == 1


def test_missing_content_type_is_refused(server):
    response = server.post(API + "/upload", data=b"hello", headers={"Content-Type": ""})
    assert response.status_code in (400, 415), response.text
    assert response.json()["error"]["code"] in ("expected_multipart", "malformed_multipart")


def _truncated_body() -> tuple[str, bytes]:
    content_type, body = multipart_body([("category", "other"), ("entityId", "P1"), ("entityType", "patient")], [("a.txt", b"x" * 100)])
    return content_type, body[: body.rfind(b"--e2e-")]  # drop the closing delimiter


@pytest.mark.parametrize(
    "make",
    [
        lambda: ("multipart/form-data; boundary=abc123", b"this is not a multipart body at all"),
        _truncated_body,
        lambda: (
            "multipart/form-data; boundary=abc123",
            b"--abc123\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--abc123--\r\n",
        ),
    ],
    ids=["no-delimiters", "truncated", "part-without-name"],
)
def test_malformed_multipart_is_refused(server, make):
    documents_before = document_count(server)
    content_type, body = make()
    response = server.post(API + "/upload", data=body, headers={"Content-Type": content_type})
    assert_error(response, 400, "malformed_multipart")
    assert document_count(server) == documents_before


@pytest.mark.local_only("encrypted bytes on disk under D/objects; on S3, test_s3_backend checks SSE on HeadObject")
def test_uploaded_object_is_encrypted_on_disk(server):
    marker = b"PLAINTEXT-MARKER-" + uuid.uuid4().hex.encode()
    files = server.upload_ok([("marker.txt", marker * 50)], entity_id="P-ENC")
    on_disk = server.data_dir / "objects" / files[0]["key"]
    assert on_disk.is_file(), f"expected the object at {on_disk}"
    raw = on_disk.read_bytes()
    assert marker not in raw
    assert len(raw) > len(marker) * 50, "ciphertext should carry a header and tags"
    assert server.download(files[0]["key"]).content == marker * 50
