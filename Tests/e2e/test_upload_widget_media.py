"""The upload widget on /storage with the media categories, in a real browser (headless Chromium, as
test_browser.py): the widget's own check before sending takes its allowed types from the category the server
renders, so an MP4 and a HEIC photo are sent where the category takes them, and a video dropped on a document
category is stopped in the page with the category's extensions, without reaching the server."""

from __future__ import annotations

import hashlib
import struct
import uuid

import pytest

from support import ADMIN_EMAIL, ADMIN_PASSWORD
from test_browser import chrome, page  # noqa: F401 (pytest fixtures: one Chromium for the module)

pytestmark = pytest.mark.database_agnostic("the widget's behaviour in a browser; uploads behind it run on both engines")


def iso_media(major: bytes, compatible: list[bytes]) -> bytes:
    """An `ftyp` box and an empty `mdat`: what libmagic and the brand check need to call it MP4 or HEIC."""
    body = major + b"\0\0\0\0" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + struct.pack(">I", 16) + b"mdat" + bytes(8)


def heic_photo() -> bytes:
    """An `ftyp` box, an empty `meta` box and an empty `mdat`: a HEIC whose metadata stripping finds nothing to blank
    (a HEIC without `meta` is refused as `invalid_image`)."""
    ftyp = iso_media(b"heic", [b"mif1", b"heic"])[:24]
    return ftyp + struct.pack(">I", 12) + b"meta" + bytes(4) + struct.pack(">I", 16) + b"mdat" + bytes(8)


def rejected_uploads(server) -> int:
    return server.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'document.upload' AND http_status >= 400")[0]["n"]


def test_a_video_is_sent_to_therapy_media_and_stopped_in_lab_results(page, server):  # noqa: F811
    run = uuid.uuid4().hex[:8]
    entity = f"WV-{run}"
    video = (f"exercise-{run}.mp4", iso_media(b"isom", [b"isom", b"iso2", b"mp41"]), "video/mp4")

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    options = {option.get_attribute("value"): option for option in page.find_all("#upload-category option")}
    assert "mp4" in options["therapy-media"].get_attribute("data-extensions").split(",")
    assert "heic" in options["chat-image"].get_attribute("data-extensions").split(",")
    assert options["profile-photo"].get_attribute("data-max-bytes") == str(5 * 1024 * 1024)

    page.choose("#upload-category", "therapy-media")
    page.choose("#upload-entity-type", "patient")
    page.fill("#upload-entity-id", entity)
    page.drop_files([video])
    assert page.wait_upload(video[0], "done")["status"] == "Uploaded"
    stored = {entry["fileName"]: entry for entry in server.list_all(prefix=f"patients/{entity}/therapy-media/")}
    assert stored[video[0]]["sha256"] == hashlib.sha256(video[1]).hexdigest()

    before = rejected_uploads(server)
    misplaced = (f"clip-{run}.mp4", video[1], "video/mp4")
    page.choose("#upload-category", "lab-results")
    page.drop_files([misplaced])
    refused = page.wait_upload(misplaced[0], "failed")
    assert refused["status"].startswith("This type of file is not accepted in Lab results."), refused
    assert ".mp4" not in refused["status"] and "pdf" in refused["status"], refused
    assert rejected_uploads(server) == before, "the widget sent a file its category does not take"


def test_a_heic_photo_is_sent_to_chat_images(page, server):  # noqa: F811
    run = uuid.uuid4().hex[:8]
    entity = f"WH-{run}"
    photo = (f"photo-{run}.heic", heic_photo(), "image/heic")

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.choose("#upload-category", "chat-image")
    page.choose("#upload-entity-type", "appointment")
    page.fill("#upload-entity-id", entity)
    page.drop_files([photo])
    assert page.wait_upload(photo[0], "done")["status"] == "Uploaded"
    names = {entry["fileName"] for entry in server.list_all(prefix=f"appointments/{entity}/chat/")}
    assert photo[0] in names
