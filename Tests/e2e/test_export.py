"""GET /api/v2/entities/{entityType}/{entityId}/export and `medvault export`: an entity's documents as one ZIP, with
manifest.json and fhir-bundle.json, read back with Python's zipfile (a ZIP64 one included), for the patient, their
care team and administrators only; a document whose object is gone breaks the archive rather than leaving it out."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

import pytest
import requests

import samples
from support import API, assert_error

pytestmark = pytest.mark.s3_semantics("reading every object back in a stream")

PATIENT = "EX-P1"
EXPORT = f"/api/v2/entities/patient/{PATIENT}/export"


@pytest.fixture(scope="module")
def people(server):
    """The patient, another patient, a provider on the patient's care team and one who is not."""
    server.add_user("ex-patient@example.org", "patient", patient_id=PATIENT)
    server.add_user("ex-other@example.org", "patient", patient_id="EX-P2")
    server.add_user("ex-doctor@example.org", "provider", provider_id="D-EX1")
    server.add_user("ex-stranger@example.org", "provider", provider_id="D-EX2")
    assert server.cli(["careteam", "add", "--provider", "ex-doctor@example.org", "--patient", PATIENT]).returncode == 0
    return {role: server.token_for(f"ex-{role}@example.org") for role in ("patient", "other", "doctor", "stranger")}


@pytest.fixture(scope="module")
def record(server):
    """The patient's documents by id with their bytes (two active, one archived), and another patient's document."""
    uploads = {
        ("Befund ärztlich.pdf", "medical-records"): samples.pdf("export report"),
        ("labor.png", "lab-results"): samples.png(3, 3),
        ("alt.pdf", "medical-records"): samples.pdf("export archived"),
    }
    documents = {}
    for (name, category), data in uploads.items():
        entry = server.upload_ok([(name, data)], entity_id=PATIENT, category=category)[0]
        documents[entry["id"]] = entry | {"data": data}
    archived = next(d for d in documents.values() if d["fileName"] == "alt.pdf")
    response = server.delete_document(archived["key"])
    assert response.status_code == 200, response.text
    archived |= {"status": "archived", "key": response.json()["archivedKey"]}
    other = server.upload_ok([("other.pdf", samples.pdf("other patient"))], entity_id="EX-P2")[0]
    return {"documents": documents, "archived": archived["id"], "other": other["id"]}


def read_archive(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None, "every entry's CRC-32 matches"
    return archive


def check_archive(archive: zipfile.ZipFile, expected: dict) -> dict:
    """Checks every document file, the manifest and the bundle against `expected` (id -> upload); returns the manifest."""
    manifest = json.loads(archive.read("manifest.json"))
    bundle = json.loads(archive.read("fhir-bundle.json"))
    names = archive.namelist()
    assert names[-2:] == ["manifest.json", "fhir-bundle.json"]
    variants = [variant for document in manifest["documents"] for variant in document["variants"]]
    assert len(names) == len(expected) + len(variants) + 2 and len(set(names)) == len(names)
    assert (manifest["entityType"], manifest["entityId"]) == ("patient", PATIENT)
    assert {d["id"] for d in manifest["documents"]} == set(expected)
    for document in manifest["documents"]:
        upload = expected[document["id"]]
        data = archive.read(document["path"])
        assert data == upload["data"]
        assert document["sha256"] == hashlib.sha256(data).hexdigest() == upload["sha256"]
        for field in ("key", "fileName", "category", "contentType", "size", "uploadedAt"):
            assert document[field] == upload[field], field
        assert document["status"] == upload.get("status", "active")
        assert document["uploadedBy"]
        folder = "documents" if document["status"] == "active" else "archived"
        assert document["path"] == f"{folder}/{upload['category']}/{upload['id']}-{upload['fileName']}"
        assert archive.getinfo(document["path"]).flag_bits & 0x800, "names are flagged UTF-8"
        for variant in document["variants"]:
            data = archive.read(variant["path"])
            assert (len(data), hashlib.sha256(data).hexdigest()) == (variant["size"], variant["sha256"])
            assert variant["path"].startswith(f"variants/{upload['id']}/{variant['variant']}")
    previewed = [d for d in manifest["documents"] if d["contentType"] in ("application/pdf", "image/png")]
    assert previewed and all({v["variant"] for v in d["variants"]} == {"thumbnail", "mobile"} for d in previewed), "previews go with their document"

    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    assert len(bundle["entry"]) == len(expected)
    for entry in bundle["entry"]:
        reference = entry["resource"]
        upload = expected[reference["id"]]
        assert entry["fullUrl"] == f"urn:uuid:{upload['id']}"
        assert reference["resourceType"] == "DocumentReference"
        assert reference["status"] == ("current" if upload.get("status", "active") == "active" else "superseded")
        assert reference["subject"] == {"type": "Patient", "identifier": {"value": PATIENT}}
        (content,) = reference["content"]
        attachment = content["attachment"]
        assert attachment["url"] in names
        assert archive.read(attachment["url"]) == upload["data"]
        assert attachment["hash"] == base64.b64encode(hashlib.sha1(upload["data"]).digest()).decode()
        assert (attachment["size"], attachment["contentType"], attachment["title"]) == (upload["size"], upload["contentType"], upload["fileName"])
    return manifest


def active(record) -> dict:
    return {i: d for i, d in record["documents"].items() if i != record["archived"]}


def test_the_patient_gets_their_active_documents_with_manifest_and_bundle(server, people, record):
    response = server.get(EXPORT, auth=people["patient"], stream=True)
    assert response.status_code == 200
    # The audit row is durable before the archive's first byte is read.
    rows = server.audit_rows(response.headers["X-Request-Id"], wait=0)
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    check_archive(read_archive(response.content), active(record))
    assert len(rows) == 1
    row = rows[0]
    assert (row["action"], row["outcome"], row["http_status"], row["patient_id"]) == ("entity.export", "success", 200, PATIENT)
    assert row["detail"] == "documents=2"
    assert row["actor_id"] == server.user("ex-patient@example.org")["id"]


def test_include_archived_adds_the_archive(server, record):
    response = server.get(EXPORT + "?include=archived")
    assert response.status_code == 200, response.text
    manifest = check_archive(read_archive(response.content), record["documents"])
    assert manifest["includesArchived"] is True
    assert server.audit_rows(response.headers["X-Request-Id"])[0]["detail"] == "documents=3 include=archived"


def test_a_provider_on_the_care_team_may_export(server, people, record):
    response = server.get(EXPORT, auth=people["doctor"])
    assert response.status_code == 200, response.text
    check_archive(read_archive(response.content), active(record))


@pytest.mark.parametrize(
    "who, entity", [("other", PATIENT), ("stranger", PATIENT), ("doctor", "EX-P2"), ("patient", "EX-P2"), ("doctor", "D-EX1")]
)
def test_everyone_else_is_refused(server, people, record, who, entity):
    """Another patient, a provider without the patient on their care team, the care team for another patient, and
    anyone but administrators for a provider's folder."""
    kind = "provider" if entity.startswith("D-") else "patient"
    response = server.get(f"/api/v2/entities/{kind}/{entity}/export", auth=people[who])
    assert_error(response, 403, "forbidden")
    row = server.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"]) == ("entity.export", "denied")


def test_anonymous_and_malformed_requests_are_refused(server, people):
    assert_error(server.get(EXPORT, auth=None), 401, "unauthenticated")
    # Decided on the normalised route: another patient's id cannot be reached through encoded separators.
    assert_error(server.get("/api/v2/entities/patient/EX-P2%2F..%2FEX-P1/export", auth=people["patient"]), 400, "invalid_path")
    assert_error(server.get(EXPORT + "?include=everything"), 400, "invalid_parameter")
    assert_error(server.get("/api/v2/entities/nurse/N1/export"), 400, "invalid_entity_type")
    assert server.get("/api/v2/entities/patient/bad%20id/export").status_code == 400


def test_the_cli_writes_the_same_archive(server, record, tmp_path):
    out = tmp_path / "export.zip"
    result = server.cli(["export", "--entity-type", "patient", "--entity-id", PATIENT, "--out", str(out), "--include-archived"])
    assert result.returncode == 0, result.stdout + result.stderr
    from_cli = read_archive(out.read_bytes())
    from_api = read_archive(server.get(EXPORT + "?include=archived").content)
    assert from_cli.namelist() == from_api.namelist()
    for name in from_cli.namelist()[:-2]:
        assert from_cli.read(name) == from_api.read(name)
    cli_manifest, api_manifest = json.loads(from_cli.read("manifest.json")), json.loads(from_api.read("manifest.json"))
    assert cli_manifest["documents"] == api_manifest["documents"]
    check_archive(from_cli, record["documents"])
    assert out.stat().st_mode & 0o077 == 0, "the archive is readable by its owner only"
    assert [p.name for p in tmp_path.iterdir()] == ["export.zip"]
    rows = server.query("SELECT * FROM audit_events WHERE action = 'entity.export' AND actor_id LIKE 'cli:%' ORDER BY sequence")
    assert [(row["outcome"], row["patient_id"], row["detail"]) for row in rows] == [("success", PATIENT, "documents=3 include=archived")]


def test_a_zip64_archive_reads_back(server, record, tmp_path):
    out = tmp_path / "zip64.zip"
    result = server.cli(["export", "--entity-type", "patient", "--entity-id", PATIENT, "--out", str(out), "--force-zip64"])
    assert result.returncode == 0, result.stdout + result.stderr
    data = out.read_bytes()
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data, "ZIP64 end record and locator"
    archive = read_archive(data)
    assert all(info.extract_version == 45 for info in archive.infolist())
    check_archive(archive, active(record))


def test_a_missing_object_breaks_the_archive_instead_of_leaving_it_out(server, tmp_path):
    patient = "EX-GONE"
    kept, gone = server.upload_ok([("a.pdf", samples.pdf("kept")), ("b.pdf", samples.pdf("gone"))], entity_id=patient)
    server.remove_object(gone["key"])

    response = server.get(f"/api/v2/entities/patient/{patient}/export", stream=True)
    assert response.status_code == 200
    with pytest.raises(requests.exceptions.RequestException):
        response.content  # the connection closes before the last chunk
    assert "export cut short" in server.output()
    rows = server.audit_rows(response.headers["X-Request-Id"], expected=2)
    assert [(r["outcome"], r["http_status"], r["error_code"], r["document_id"], r["detail"]) for r in rows] == [
        ("success", 200, None, None, "documents=2"),
        ("failed", 200, "object_unreadable", gone["id"], "documents=2"),
    ]

    out = tmp_path / "gone.zip"
    result = server.cli(["export", "--entity-type", "patient", "--entity-id", patient, "--out", str(out)])
    assert result.returncode == 1
    assert f"document {gone['id']}" in result.stderr and "no file written" in result.stderr
    assert list(tmp_path.iterdir()) == [], "no archive, and no partial file"
    rows = server.query("SELECT * FROM audit_events WHERE action = 'entity.export' AND patient_id = ? AND actor_id LIKE 'cli:%' ORDER BY sequence", (patient,))
    assert [(r["outcome"], r["error_code"], r["document_id"]) for r in rows] == [("success", None, None), ("failed", "object_unreadable", gone["id"])]
    verified = server.cli(["audit", "verify"])
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_document_reconcile_marked_missing_is_named_in_the_manifest(server):
    patient = "EX-MISSING"
    kept, lost = server.upload_ok([("kept.pdf", samples.pdf("kept here")), ("lost.pdf", samples.pdf("lost"))], entity_id=patient)
    server.remove_object(lost["key"])
    fixed = server.cli(["reconcile", "--fix"], timeout=120)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr

    response = server.get(f"/api/v2/entities/patient/{patient}/export")
    assert response.status_code == 200, response.text
    archive = read_archive(response.content)
    manifest = json.loads(archive.read("manifest.json"))
    assert [d["id"] for d in manifest["documents"]] == [kept["id"]]
    assert manifest["missing"] == [{field: lost[field] for field in ("id", "key", "fileName", "category", "contentType", "size", "sha256", "uploadedAt")}]
    assert [entry["resource"]["id"] for entry in json.loads(archive.read("fhir-bundle.json"))["entry"]] == [kept["id"]]
    [row] = server.audit_rows(response.headers["X-Request-Id"])
    assert row["detail"] == "documents=1 missing=1"
