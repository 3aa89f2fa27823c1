"""Previews: a JPEG (turned by its orientation tag), a PNG with alpha, a HEIC photo and a PDF are uploaded; each gets a
thumbnail (256 px on the long edge) and a phone rendition (1280 px, a photo never enlarged, a PDF page drawn at that
size), decodable JPEGs served with `download?id=…&variant=` under the document's own read decision and audited, and
through pre-signed URLs; a completed direct upload and `medvault import` make them too. A Word file has none (404
`variant_not_found`), an unknown variant is 400 `invalid_variant`, and a permanent delete removes the derived objects
from storage. The storage page shows thumbnails. Runs in every backend stage.
"""

from __future__ import annotations

import csv
import hashlib
import io
from urllib.parse import quote, urlencode

import pillow_heif
import pytest
import requests
from PIL import Image

import samples
from support import ADMIN_EMAIL, ADMIN_PASSWORD, API, Browser, assert_error

pillow_heif.register_heif_opener()

PATIENT = "P-PREVIEW"


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def gradient(width: int, height: int, mode: str = "RGB") -> Image.Image:
    return Image.linear_gradient("L").resize((width, height)).convert(mode)


def variant(server, document_id: str, name: str, auth=None, **params) -> requests.Response:
    query = urlencode({"id": document_id, "variant": name, **params}, quote_via=quote)
    return server.get(API + "/download?" + query, **({} if auth is None else {"auth": auth}))


def decoded(response: requests.Response) -> tuple[int, int]:
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "JPEG"
    image.load()
    return image.size


@pytest.fixture(scope="module")
def people(server) -> dict[str, str]:
    server.add_user("preview.owner@e2e.test", "patient", patient_id=PATIENT)
    server.add_user("preview.other@e2e.test", "patient", patient_id="P-PREVIEW-OTHER")
    return {name: server.token_for(f"preview.{name}@e2e.test") for name in ("owner", "other")}


@pytest.fixture(scope="module")
def uploaded(server, people) -> dict[str, dict]:
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90° clockwise: 2000×1500 stored, 1500×2000 upright
    files = {
        "jpeg": ("photo.jpg", encoded(gradient(2000, 1500), "JPEG", quality=80, exif=exif.tobytes()), "medical-records"),
        "png": ("scan.png", encoded(gradient(1600, 1200, "RGBA"), "PNG"), "medical-records"),
        "heic": ("id.heic", encoded(gradient(640, 480), "HEIF", quality=50), "verification-photo"),
        "pdf": ("letter.pdf", samples.pdf("preview me"), "medical-records"),
    }
    return {
        kind: server.upload_ok([(name, data)], category=category, entity_id=PATIENT, auth=people["owner"])[0]
        for kind, (name, data, category) in files.items()
    }


@pytest.mark.parametrize(
    ("kind", "thumbnail", "mobile"),
    [
        ("jpeg", (192, 256), (960, 1280)),
        ("png", (256, 192), (1280, 960)),
        ("heic", (256, 192), (640, 480)),
        ("pdf", (256, 128), (1280, 640)),
    ],
)
def test_each_upload_gets_a_thumbnail_and_a_phone_rendition(server, uploaded, people, kind, thumbnail, mobile):
    document = uploaded[kind]
    assert server.object_exists(f"derived/{document['id']}/thumbnail"), "made on upload, not on request"
    assert server.object_exists(f"derived/{document['id']}/mobile")
    assert decoded(variant(server, document["id"], "thumbnail", auth=people["owner"])) == thumbnail
    assert decoded(variant(server, document["id"], "mobile", auth=people["owner"])) == mobile


def test_variants_are_never_counted_as_documents(server, uploaded):
    keys = {entry["key"] for entry in server.list_all(prefix="")}
    assert not any(key.startswith("derived/") for key in keys)
    assert {document["key"] for document in uploaded.values()} <= keys


def test_a_variant_is_denied_exactly_as_its_document_and_audited(server, uploaded, people):
    document = uploaded["jpeg"]
    as_document = server.download(id=document["id"], auth=people["other"])
    as_variant = variant(server, document["id"], "thumbnail", auth=people["other"])
    assert as_document.status_code in (403, 404)
    assert (as_variant.status_code, as_variant.json()["error"]["code"]) == (as_document.status_code, as_document.json()["error"]["code"])
    [denied] = server.audit_rows(as_variant.headers["X-Request-Id"])
    assert (denied["action"], denied["outcome"]) == ("document.download", "denied")

    allowed = variant(server, document["id"], "mobile", auth=people["owner"])
    assert allowed.status_code == 200
    [row] = server.audit_rows(allowed.headers["X-Request-Id"])
    assert (row["action"], row["outcome"], row["document_id"]) == ("document.download", "success", document["id"])
    assert "variant=mobile" in row["detail"]


def test_a_presigned_url_fetches_the_variant(server, uploaded, people):
    document = uploaded["png"]
    response = variant(server, document["id"], "thumbnail", auth=people["owner"], presigned="true")
    assert response.status_code == 200, response.text
    [row] = server.audit_rows(response.headers["X-Request-Id"])
    assert row["action"] == "document.presign" and "variant=thumbnail" in row["detail"]
    fetched = requests.get(response.json()["url"], timeout=10)
    assert fetched.status_code == 200, fetched.text
    assert Image.open(io.BytesIO(fetched.content)).size == (256, 192)
    assert fetched.headers["Content-Type"] == "image/jpeg"


def test_bad_variants_and_documents_without_previews(server, uploaded, people):
    assert_error(variant(server, uploaded["pdf"]["id"], "large", auth=people["owner"]), 400, "invalid_variant")
    word = server.upload_ok([("notes.docx", samples.docx())], entity_id=PATIENT, auth=people["owner"])[0]
    assert_error(variant(server, word["id"], "thumbnail", auth=people["owner"]), 404, "variant_not_found")
    assert_error(variant(server, uploaded["jpeg"]["id"], "poster", auth=people["owner"]), 404, "variant_not_found")


def test_a_missing_preview_is_made_on_first_request(server, uploaded, people):
    document = uploaded["pdf"]
    server.remove_object(f"derived/{document['id']}/thumbnail")
    assert decoded(variant(server, document["id"], "thumbnail", auth=people["owner"])) == (256, 128)
    assert server.object_exists(f"derived/{document['id']}/thumbnail")


def test_permanent_delete_removes_the_variants(server, people):
    data = encoded(gradient(400, 300), "JPEG")
    document = server.upload_ok([("gone.jpg", data)], entity_id=PATIENT, auth=people["owner"])[0]
    assert server.object_exists(f"derived/{document['id']}/thumbnail")
    response = server.delete_document(document["key"], permanent=True)
    assert response.status_code == 200, response.text
    assert_error(variant(server, document["id"], "thumbnail"), 404, "not_found")
    assert not any(key.startswith(f"derived/{document['id']}/") for key in server.stored_objects())


def test_the_storage_page_shows_thumbnails_it_may_load(server, uploaded):
    browser = Browser(server)
    browser.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    page = browser.get(f"/storage?prefix=patients/{PATIENT}/").text
    document = uploaded["png"]
    src = f"/api/v2/aws/s3/download?id={document['id']}&amp;variant=thumbnail"
    assert f'<img class="thumbnail" src="{src}" alt="" loading="lazy"' in page
    assert decoded(browser.get(src.replace("&amp;", "&"))) == (256, 192), "the session cookie reads the thumbnail"


def test_a_completed_direct_upload_gets_its_previews(server, people):
    data = encoded(gradient(800, 600), "PNG")
    body = {"fileName": "direct.png", "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "category": "medical-records"}
    response = server.post(API + "/uploads", json=body | {"entityType": "patient", "entityId": PATIENT}, auth=people["owner"])
    assert response.status_code == 201, response.text
    session = response.json()
    [part] = session["parts"]
    assert requests.put(part["url"], data=data, headers=part["headers"], timeout=30).status_code == 200
    done = server.post(f"{API}/uploads/{session['uploadId']}/complete", json={"parts": []}, auth=people["owner"])
    assert done.status_code == 201, done.text
    assert server.object_exists(f"derived/{session['uploadId']}/thumbnail"), "made on completion, not on request"
    assert decoded(variant(server, session["uploadId"], "mobile", auth=people["owner"])) == (800, 600)


def test_an_imported_photo_gets_its_previews(server, tmp_path):
    source = tmp_path / "old photo.jpg"
    source.write_bytes(encoded(gradient(600, 400), "JPEG"))
    manifest = tmp_path / "manifest.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["entityId", "category", "fileName", "source", "entityType"])
        writer.writerow([PATIENT, "medical-records", "old photo.jpg", str(source), "patient"])
    result = server.cli(["import", "--manifest", str(manifest), "--report", str(tmp_path / "report.csv")], timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    [row] = server.query("SELECT document_id FROM audit_events WHERE action = 'document.import' AND outcome = 'success'")
    assert server.object_exists(f"derived/{row['document_id']}/thumbnail"), "made by the import, not on request"
    assert server.object_exists(f"derived/{row['document_id']}/mobile")
