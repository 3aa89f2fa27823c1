"""Metadata stripped from WebP and HEIC, and from images that arrive by the direct-upload protocol: phone-like photos
(GPS position, body serial, owner name, orientation 6, an XMP packet naming the owner) made with Pillow and
pillow-heif are uploaded, downloaded and read with exiftool. Nothing identifying is left; the WebP keeps its ICC
profile and orientation, the HEIC its rotation (`irot`) and its size; both decode to the same pixels; the stored
SHA-256 and size are those of the stored bytes and the audit row notes the removal, whether the image came through
`upload` or the direct-upload protocol (JPEG and WebP). A HEIC whose `mdat` comes before its `meta` cannot be stripped
while streaming and is refused with `invalid_image`.
"""

from __future__ import annotations

import hashlib
import io
import struct

import pillow_heif
import pytest
from PIL import Image

from test_direct_upload import complete, upload
from test_metadata_stripping import OWNER, SERIAL, assert_stored_as_downloaded, exif_tags, identifying, phone_jpeg

from support import assert_error

pillow_heif.register_heif_opener()

pytestmark = pytest.mark.s3_semantics("the stored bytes read back from the bucket, and direct uploads' part URLs")

XMP = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">{OWNER}</dc:creator></x:xmpmeta>'.encode()
ICC = b"medvault test colour profile"


def gradient() -> Image.Image:
    image = Image.new("RGB", (48, 32))
    image.putdata([((x * 5) % 256, (y * 7) % 256, (x * y) % 256) for y in range(32) for x in range(48)])
    return image


def phone_exif() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x013B] = OWNER  # Artist
    details = exif.get_ifd(0x8769)
    details[0xA431] = SERIAL  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    return exif.tobytes()


def phone_webp() -> bytes:
    out = io.BytesIO()
    gradient().save(out, "WEBP", lossless=True, exif=phone_exif(), xmp=XMP, icc_profile=ICC)
    return out.getvalue()


def phone_heic() -> bytes:
    out = io.BytesIO()
    gradient().save(out, "HEIF", quality=90, exif=phone_exif(), xmp=XMP)
    return out.getvalue()


def pixels(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).convert("RGB").tobytes()


def upload_and_download(server, name: str, body: bytes, category: str) -> tuple[dict, bytes, str]:
    response = server.upload([(name, body)], category=category, entity_id="P-STRIP-MORE")
    assert response.status_code == 201, response.text
    stored = response.json()["files"][0]
    download = server.download(key=stored["key"])
    assert download.status_code == 200, download.text
    return stored, download.content, response.headers["X-Request-Id"]


def test_a_phone_webp_loses_exif_and_xmp_but_keeps_orientation_icc_and_pixels(server):
    original = phone_webp()
    before = exif_tags(original)
    assert identifying(before) and "XMP:Creator" in before, "the sample must carry what is to be stripped"

    stored, data, request_id = upload_and_download(server, "photo.webp", original, "therapy-media")

    after = exif_tags(data)
    assert identifying(after) == [], after
    assert not [name for name in after if name.startswith("XMP")]
    assert after["EXIF:Orientation"] == 6
    assert Image.open(io.BytesIO(data)).info["icc_profile"] == ICC
    assert pixels(data) == pixels(original)
    assert_stored_as_downloaded(server, stored, data, request_id)


def test_a_phone_heic_loses_gps_serial_and_owner_but_keeps_its_rotation_size_and_pixels(server):
    original = phone_heic()
    before = exif_tags(original)
    assert identifying(before) and before["QuickTime:Rotation"] == 270, "the sample must carry what is to be stripped"

    stored, data, request_id = upload_and_download(server, "photo.heic", original, "verification-photo")

    after = exif_tags(data)
    assert identifying(after) == [], after
    assert not [name for name in after if name.startswith("XMP") and name != "XMP:XMPToolkit"]
    assert after["QuickTime:Rotation"] == 270
    assert len(data) == len(original)
    assert pixels(data) == pixels(original)
    assert_stored_as_downloaded(server, stored, data, request_id)


def test_a_heic_with_its_media_data_before_its_meta_box_is_refused(server):
    original = phone_heic()
    file_type = struct.unpack(">I", original[:4])[0]
    meta_size = struct.unpack(">I", original[file_type : file_type + 4])[0]
    meta = original[file_type : file_type + meta_size]
    assert meta[4:8] == b"meta"
    media_first = original[:file_type] + original[file_type + meta_size :] + meta
    before = server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]
    response = server.upload([("photo.heic", media_first)], category="verification-photo", entity_id="P-STRIP-MORE")
    assert_error(response, 415, "invalid_image")
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == before


@pytest.mark.parametrize(("name", "make"), [("photo.jpg", phone_jpeg), ("photo.webp", phone_webp)], ids=["jpeg", "webp"])
def test_an_image_sent_by_direct_upload_is_stored_without_its_metadata(server, name, make):
    original = make()
    session = upload(server, original, name=name)
    done = complete(server, session["uploadId"])
    assert done.status_code == 201, done.text
    document = done.json()

    data = server.download(id=document["id"]).content
    after = exif_tags(data)
    assert identifying(after) == [], after
    assert after["EXIF:Orientation"] == 6
    assert pixels(data) == pixels(original)
    digest = hashlib.sha256(data).hexdigest()
    assert document["size"] == len(data) < len(original) and document["sha256"] == digest
    assert server.query("SELECT size, sha256 FROM documents WHERE id = ?", (document["id"],)) == [{"size": len(data), "sha256": digest}]
    details = server.query(
        "SELECT action, detail FROM audit_events WHERE document_id = ? AND action IN ('document.upload', 'upload.complete')", (document["id"],)
    )
    assert sorted(row["action"] for row in details) == ["document.upload", "upload.complete"]
    assert all("metadata: removed" in (row["detail"] or "") for row in details)
    assert [key for key in server.stored_objects() if key.startswith("quarantine/")] == []
