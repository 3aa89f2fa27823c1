"""Videos under malware scanning: start-up proves clamd scans files whole up to MEDVAULT_MAX_FILE_MB, so with
MEDVAULT_CLAMD_URL set a video may be no larger than that. /config reports the video limit in force, a larger video
is 413 file_too_large before anything is stored, and one within it is scanned and stored."""

from __future__ import annotations

import struct

from support import API, MiB, assert_error


def mp4_of_size(size: int) -> bytes:
    """An `ftyp` box of an MP4 video and an `mdat` box filling the rest: what the type and brand checks accept."""
    head = struct.pack(">I", 24) + b"ftyp" + b"isom" + b"\0\0\0\0" + b"isom" + b"mp41"
    return head + struct.pack(">I", size - len(head)) + b"mdat" + bytes(size - len(head) - 8)


def test_with_scanning_on_a_video_is_held_to_the_size_clamd_was_proven_for(start_server, clamd_url):
    limits = {"MEDVAULT_MAX_IMAGE_MB": "1", "MEDVAULT_MAX_DOCUMENT_MB": "1", "MEDVAULT_MAX_FILE_MB": "2", "MEDVAULT_MAX_VIDEO_MB": "500"}
    server = start_server(limits | {"MEDVAULT_CLAMD_URL": clamd_url}, name="video-scanned")
    config = server.get(API + "/config").json()
    assert config["antivirus"] == "clamd"
    assert config["limits"]["videoMaxBytes"] == 2 * MiB
    assert config["limits"]["maxFileBytes"] == 2 * MiB

    before = server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]
    response = server.upload([("exercise.mp4", mp4_of_size(2 * MiB + 1))], category="therapy-media", entity_type="provider", entity_id="E-AVV")
    error = assert_error(response, 413, "file_too_large")
    assert "2 MiB limit for video files" in error["message"], error
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == before

    server.upload_ok([("exercise.mp4", mp4_of_size(2 * MiB))], category="therapy-media", entity_type="provider", entity_id="E-AVV")


def test_without_scanning_the_video_limit_stands_apart(start_server):
    server = start_server({"MEDVAULT_MAX_FILE_MB": "2", "MEDVAULT_MAX_IMAGE_MB": "1", "MEDVAULT_MAX_DOCUMENT_MB": "1"}, name="video-unscanned")
    config = server.get(API + "/config").json()
    assert config["antivirus"] == "off"
    assert config["limits"]["videoMaxBytes"] == 500 * MiB
    server.upload_ok([("exercise.mp4", mp4_of_size(3 * MiB))], category="therapy-media", entity_type="provider", entity_id="E-AVV")
