"""The media categories (therapy-media, profile-photo, verification-photo, chat-image) and the configurable size
limits (MEDVAULT_MAX_IMAGE_MB, MEDVAULT_MAX_DOCUMENT_MB, MEDVAULT_MAX_FILE_MB, MEDVAULT_MAX_VIDEO_MB).

Real JPEG and PNG files go through the running server into each new category's folder and come back byte for
byte; a type the category does not take is 415, an image over a lowered limit is 413, and /config reports the
limits and the category table. Invalid limits stop start-up with a message naming the variable.
"""

from __future__ import annotations

import hashlib

import pytest

import samples
from support import API, AUTH_ENV, MiB, assert_error, free_port, run_cli

# (category, entityType, entityId, the key prefix its files go under)
PLACES = [
    ("therapy-media", "provider", "E-MEDIA", "providers/E-MEDIA/therapy-media/"),
    ("therapy-media", "patient", "P-MEDIA", "patients/P-MEDIA/therapy-media/"),
    ("profile-photo", "provider", "E-MEDIA", "providers/E-MEDIA/profile/"),
    ("verification-photo", "patient", "P-MEDIA", "patients/P-MEDIA/verification/"),
    ("chat-image", "appointment", "A-MEDIA", "appointments/A-MEDIA/chat/"),
]

IMAGES = [("photo.jpg", samples.jpeg(), "image/jpeg"), ("photo.png", samples.png(16, 16), "image/png")]


@pytest.mark.parametrize(("category", "entity_type", "entity_id", "prefix"), PLACES, ids=[f"{p[0]}-{p[1]}" for p in PLACES])
@pytest.mark.parametrize(("name", "body", "mime"), IMAGES, ids=["jpeg", "png"])
def test_a_real_image_is_stored_under_the_category_folder(server, category, entity_type, entity_id, prefix, name, body, mime):
    stored = server.upload_ok([(name, body)], category=category, entity_type=entity_type, entity_id=entity_id)[0]
    assert stored["key"].startswith(prefix), stored
    rows = server.query("SELECT category, content_type, size, sha256 FROM documents WHERE key = ?", (stored["key"],))
    assert rows == [{"category": category, "content_type": mime, "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}]
    download = server.download(key=stored["key"])
    assert download.status_code == 200, download.text
    assert download.content == body
    assert download.headers["Content-Type"].startswith(mime)


@pytest.mark.parametrize(
    ("category", "entity_type", "name", "body"),
    [
        ("profile-photo", "patient", "photo.webp", samples.webp()),
        ("profile-photo", "patient", "scan.pdf", samples.pdf()),
        ("chat-image", "appointment", "notes.txt", samples.TEXT),
        ("verification-photo", "patient", "photo.gif", samples.gif()),
        ("therapy-media", "provider", "plan.pdf", samples.pdf()),
    ],
    ids=["webp-profile", "pdf-profile", "text-chat", "gif-verification", "pdf-therapy"],
)
def test_a_type_the_category_does_not_take_is_415(server, category, entity_type, name, body):
    before = server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]
    response = server.upload([(name, body)], category=category, entity_type=entity_type, entity_id="X-MEDIA")
    error = assert_error(response, 415, "unsupported_type")
    assert f"not accepted in {category}" in error["message"]
    assert name not in error["message"], "the refusal must not repeat the file name"
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == before


def test_a_category_outside_its_entity_type_is_400(server):
    response = server.upload([("photo.jpg", samples.jpeg())], category="chat-image", entity_type="patient", entity_id="P-MEDIA")
    error = assert_error(response, 400, "invalid_category")
    assert "appointment" in error["message"]


def test_a_profile_photo_over_5_MiB_is_413(server):
    response = server.upload([("me.png", samples.png_of_size(5 * MiB + 1))], category="profile-photo", entity_type="patient", entity_id="P-MEDIA")
    error = assert_error(response, 413, "file_too_large")
    assert "5 MiB limit for profile-photo files" in error["message"]


def test_config_reports_the_default_limits_and_the_category_table(server):
    config = server.get(API + "/config").json()
    assert config["limits"] == {"imageMaxBytes": 10 * MiB, "documentMaxBytes": 25 * MiB, "maxFileBytes": 50 * MiB, "videoMaxBytes": 500 * MiB}
    table = {c["name"]: c for c in config["categories"]}
    assert table["therapy-media"] == {
        "name": "therapy-media",
        "folder": "therapy-media",
        "allowedTypes": ["jpeg", "png", "webp", "mp4", "mov", "webm"],
        "entityTypes": ["provider", "patient"],
    }
    assert table["profile-photo"]["folder"] == "profile" and table["profile-photo"]["maxBytes"] == 5 * MiB
    assert table["verification-photo"]["allowedTypes"] == ["jpeg", "png", "heic"]
    assert table["chat-image"]["entityTypes"] == ["appointment"] and table["chat-image"]["maxBytes"] == 10 * MiB
    assert "heic" not in table["lab-results"]["allowedTypes"]


def test_lowered_limits_are_reported_and_enforced(start_server):
    server = start_server(
        {"MEDVAULT_MAX_IMAGE_MB": "1", "MEDVAULT_MAX_DOCUMENT_MB": "2", "MEDVAULT_MAX_FILE_MB": "3", "MEDVAULT_MAX_VIDEO_MB": "4"},
        name="lowered-limits",
    )
    config = server.get(API + "/config").json()
    assert config["limits"] == {"imageMaxBytes": 1 * MiB, "documentMaxBytes": 2 * MiB, "maxFileBytes": 3 * MiB, "videoMaxBytes": 4 * MiB}

    over = samples.png_of_size(MiB + 1)
    response = server.upload([("exercise.png", over)], category="therapy-media", entity_type="provider", entity_id="E-LIMIT")
    error = assert_error(response, 413, "file_too_large")
    assert "1 MiB limit for image files" in error["message"]
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert [(r["outcome"], r["http_status"], r["error_code"]) for r in rows] == [("rejected", 413, "file_too_large")]

    at_limit = samples.png_of_size(MiB)
    server.upload_ok([("exercise.png", at_limit)], category="therapy-media", entity_type="provider", entity_id="E-LIMIT")
    document = samples.pdf_of_size(MiB + 512 * 1024)
    server.upload_ok([("plan.pdf", document)], category="medical-records", entity_type="patient", entity_id="P-LIMIT")


@pytest.mark.local_only("start-up fails before the store is opened")
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDVAULT_MAX_IMAGE_MB": "0"}, "MEDVAULT_MAX_IMAGE_MB must be a whole number of MiB from 1 to 1048576"),
        ({"MEDVAULT_MAX_VIDEO_MB": "lots"}, "MEDVAULT_MAX_VIDEO_MB must be a whole number of MiB from 1 to 1048576"),
        ({"MEDVAULT_MAX_DOCUMENT_MB": "2.5"}, "MEDVAULT_MAX_DOCUMENT_MB must be a whole number of MiB from 1 to 1048576"),
        ({"MEDVAULT_MAX_IMAGE_MB": "80"}, "MEDVAULT_MAX_IMAGE_MB must not be larger than MEDVAULT_MAX_FILE_MB"),
    ],
    ids=["zero", "not-a-number", "fraction", "image-above-file"],
)
def test_invalid_limits_stop_start_up(tmp_path, env, message):
    result = run_cli(["serve", "--port", str(free_port()), "--data-dir", str(tmp_path / "data")], env=AUTH_ENV | env, timeout=60)
    assert result.returncode != 0, result.stdout
    assert message in result.stderr, result.stderr
