"""Metadata stripped on the way in: a phone-like JPEG (GPS position, camera serial, owner name, orientation 6, a
comment) and a PNG with tEXt/iTXt chunks are uploaded, downloaded and read with exiftool (Debian
libimage-exiftool-perl). Nothing identifying is left, the orientation still is, the pixels decode identically, the
stored SHA-256 and size are those of the stored bytes, and the audit row notes the removal. A JPEG cut short is
refused with `invalid_image` and nothing of it is kept. `medvault import` strips a photo the same way, and a re-run
still recognises it by the source file's digest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess

import pytest
from PIL import Image, PngImagePlugin

from support import API, assert_error

pytestmark = pytest.mark.s3_semantics("the stored bytes read back from the bucket")

OWNER = "Jane Doe"
SERIAL = "SN-4711-0815"


def exif_tags(data: bytes) -> dict:
    """Every tag exiftool finds in `data`, by group and name, with numeric values (`-n`)."""
    result = subprocess.run(["exiftool", "-j", "-G", "-n", "-"], input=data, capture_output=True, check=True)
    return json.loads(result.stdout)[0]


def phone_jpeg() -> bytes:
    image = Image.new("RGB", (48, 32))
    image.putdata([((x * 5) % 256, (y * 7) % 256, (x * y) % 256) for y in range(32) for x in range(48)])
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x010F] = "medvault-camera"  # Make
    exif[0x013B] = OWNER  # Artist
    details = exif.get_ifd(0x8769)
    details[0xA430] = OWNER  # CameraOwnerName
    details[0xA431] = SERIAL  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), comment=f"owner {OWNER}".encode())
    return out.getvalue()


def png_with_text() -> bytes:
    image = Image.new("RGB", (24, 16), (10, 120, 200))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", OWNER)
    info.add_itxt("Location", "GPS 52.52,13.40", lang="en")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def identifying(tags: dict) -> list[str]:
    """The tags that would identify the patient or where the photo was taken."""
    return [name for name, value in tags.items() if "GPS" in name or "Serial" in name or OWNER in str(value) or "52.52" in str(value)]


def upload_and_download(server, name: str, body: bytes) -> tuple[dict, bytes, str]:
    response = server.upload([(name, body)], category="profile-photo", entity_id="P-STRIP")
    assert response.status_code == 201, response.text
    stored = response.json()["files"][0]
    download = server.download(key=stored["key"])
    assert download.status_code == 200, download.text
    return stored, download.content, response.headers["X-Request-Id"]


def assert_stored_as_downloaded(server, stored: dict, data: bytes, request_id: str) -> None:
    digest = hashlib.sha256(data).hexdigest()
    assert stored["sha256"] == digest
    rows = server.query("SELECT size, sha256 FROM documents WHERE key = ?", (stored["key"],))
    assert rows == [{"size": len(data), "sha256": digest}]
    assert "metadata: removed" in (server.audit_rows(request_id)[0]["detail"] or "")


def test_a_phone_jpeg_loses_gps_serial_and_owner_but_keeps_its_orientation_and_pixels(server):
    original = phone_jpeg()
    before = exif_tags(original)
    assert identifying(before) and before["EXIF:Orientation"] == 6, "the sample must carry what is to be stripped"

    stored, data, request_id = upload_and_download(server, "photo.jpg", original)

    after = exif_tags(data)
    assert identifying(after) == [], after
    assert after["EXIF:Orientation"] == 6
    assert Image.open(io.BytesIO(data)).tobytes() == Image.open(io.BytesIO(original)).tobytes()
    assert len(data) < len(original)
    assert_stored_as_downloaded(server, stored, data, request_id)


def test_a_png_loses_its_text_chunks_and_keeps_its_pixels(server):
    original = png_with_text()
    assert identifying(exif_tags(original)), "the sample must carry what is to be stripped"

    stored, data, request_id = upload_and_download(server, "photo.png", original)

    assert identifying(exif_tags(data)) == []
    assert Image.open(io.BytesIO(data)).tobytes() == Image.open(io.BytesIO(original)).tobytes()
    assert_stored_as_downloaded(server, stored, data, request_id)


def test_a_jpeg_cut_short_is_refused_and_nothing_is_kept(server):
    before = server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]
    truncated = phone_jpeg()[:-200]
    response = server.upload([("photo.jpg", truncated)], category="profile-photo", entity_id="P-STRIP")
    assert_error(response, 415, "invalid_image")
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == before


def test_an_imported_photo_is_stripped_and_skipped_on_a_rerun_and_a_broken_one_refused(server, tmp_path):
    photo, broken = tmp_path / "photo.jpg", tmp_path / "broken.jpg"
    photo.write_bytes(phone_jpeg())
    broken.write_bytes(phone_jpeg()[:-200])
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "entityId,category,fileName,source,entityType\n"
        + "".join(f"P-STRIP,profile-photo,{path.name},{path},patient\n" for path in (photo, broken)),
        encoding="utf-8",
    )

    def run(report, *flags):
        result = server.cli(["import", "--manifest", str(manifest), "--report", str(report), *flags], timeout=120)
        with open(report, newline="", encoding="utf-8") as rows:
            return result, {row["source"]: row for row in csv.DictReader(rows)}

    # The dry run refuses the broken photo as the import does.
    _, dry = run(tmp_path / "dry.csv", "--dry-run")
    assert dry[str(photo)]["status"] == "would_import"
    assert (dry[str(broken)]["status"], dry[str(broken)]["code"]) == ("refused", "invalid_image")

    _, first = run(tmp_path / "first.csv")
    imported = first[str(photo)]
    assert imported["status"] == "imported", imported
    assert (first[str(broken)]["status"], first[str(broken)]["code"]) == ("refused", "invalid_image")
    data = server.download(id=imported["id"]).content
    assert identifying(exif_tags(data)) == [] and imported["sha256"] == hashlib.sha256(data).hexdigest()
    rows = server.query("SELECT detail FROM audit_events WHERE action = 'document.import' AND document_id IS NOT NULL")
    assert [row["detail"] for row in rows] == [f"source: {photo}; metadata: removed"]

    _, again = run(tmp_path / "again.csv")
    assert (again[str(photo)]["status"], again[str(photo)]["id"]) == ("skipped", imported["id"])


def test_a_scanned_photo_notes_both_and_counts_as_a_clean_scan(clamd_url, start_server):
    scanning = start_server({"MEDVAULT_CLAMD_URL": clamd_url}, name="strip-scanned")
    stored, data, request_id = upload_and_download(scanning, "scanned.jpg", phone_jpeg())
    assert identifying(exif_tags(data)) == []
    assert scanning.audit_rows(request_id)[0]["detail"] == "scan: clean; metadata: removed"
    stats = scanning.get(API + "/stats").json()
    assert stats["scannedFiles"] == 1, stats
