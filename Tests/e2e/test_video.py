"""Video: real 2-second MP4, MOV and WebM clips made by ffmpeg, accepted by their bytes, refused under the wrong
extension and over MEDVAULT_MAX_VIDEO_MB, served with HTTP Range (206, 416) through `download?id=` and through a
pre-signed URL on every backend (the local store's own URLs, or S3's), and given a poster frame, a thumbnail and,
with MEDVAULT_TRANSCODE=on, a 720p H.264 MP4 by the background jobs (media_jobs).

One server for the module (transcode on, a 1 MiB video limit); the clips are tiny, so the jobs take well under a
second each.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest
import requests

from support import API, MiB, assert_error, launch_server

pytestmark = [
    pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg (Debian ffmpeg)"),
    pytest.mark.s3_semantics("Range on the S3 server's pre-signed URLs, and the renditions stored in the bucket"),
]

# (file name, content type, ffmpeg's output options)
CLIPS = [
    ("exercise.mp4", "video/mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4"]),
    ("exercise.mov", "video/quicktime", ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mov"]),
    ("exercise.webm", "video/webm", ["-c:v", "libvpx", "-b:v", "200k", "-f", "webm"]),
]
JOB_TIMEOUT = 15.0


def make_clip(directory: Path, name: str, options: list[str]) -> bytes:
    output = directory / name
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=15", *options, str(output)],
        check=True,
        timeout=60,
    )
    return output.read_bytes()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = launch_server(tmp_path_factory.mktemp("video"), "video", {"MEDVAULT_TRANSCODE": "on", "MEDVAULT_MAX_VIDEO_MB": "1"})
    yield started
    started.shutdown()


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, bytes]:
    directory = tmp_path_factory.mktemp("clips")
    return {name: make_clip(directory, name, options) for name, _, options in CLIPS}


@pytest.fixture(scope="module")
def stored(server, clips) -> dict[str, dict]:
    """Each clip uploaded once, as a provider's therapy media."""
    files = server.upload_ok(list(clips.items()), category="therapy-media", entity_type="provider", entity_id="E-VIDEO")
    return {entry["fileName"]: entry for entry in files}


def jobs_of(server, document_id: str) -> dict[str, str]:
    rows = server.query("SELECT kind, state FROM media_jobs WHERE document_id = ?", (document_id,))
    return {row["kind"]: row["state"] for row in rows}


def wait_for_jobs(server, document_id: str) -> dict[str, str]:
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        jobs = jobs_of(server, document_id)
        if all(state in ("done", "failed") for state in jobs.values()) or time.monotonic() > deadline:
            return jobs
        time.sleep(0.2)


def ffprobe(data: bytes, directory: Path) -> list[str]:
    path = directory / "probe"
    path.write_bytes(data)
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result.stdout.strip().split(",")


@pytest.mark.parametrize(("name", "mime"), [(name, mime) for name, mime, _ in CLIPS], ids=["mp4", "mov", "webm"])
def test_a_real_video_is_accepted_by_its_bytes(server, clips, stored, name, mime):
    entry = stored[name]
    assert entry["contentType"] == mime, entry
    assert entry["size"] == len(clips[name])
    assert entry["key"].startswith("providers/E-VIDEO/therapy-media/")


@pytest.mark.parametrize(("stored_as", "bytes_of"), [("exercise.webm", "exercise.mp4"), ("exercise.mp4", "exercise.webm")], ids=["mp4-as-webm", "webm-as-mp4"])
def test_a_video_under_the_wrong_extension_is_415(server, clips, stored_as, bytes_of):
    response = server.upload([(stored_as, clips[bytes_of])], category="therapy-media", entity_type="provider", entity_id="E-VIDEO")
    assert_error(response, 415, "type_mismatch")


def test_a_video_over_the_video_limit_is_413(server):
    head = struct.pack(">I", 24) + b"ftyp" + b"isom" + b"\0\0\0\0" + b"isom" + b"mp41"
    body = head + struct.pack(">I", MiB + 1 - len(head)) + b"mdat" + bytes(MiB + 1 - len(head) - 8)
    response = server.upload([("long.mp4", body)], category="therapy-media", entity_type="provider", entity_id="E-VIDEO")
    error = assert_error(response, 413, "file_too_large")
    assert "1 MiB limit for video files" in error["message"], error


@pytest.mark.parametrize("name", [name for name, _, _ in CLIPS], ids=["mp4", "mov", "webm"])
def test_range_through_download_and_a_presigned_url(server, clips, stored, name):
    body, entry = clips[name], stored[name]
    start, end = 100, 1099
    direct = server.download(id=entry["id"], headers={"Range": f"bytes={start}-{end}"})
    assert direct.status_code == 206, direct.text
    assert direct.headers["Content-Range"] == f"bytes {start}-{end}/{len(body)}"
    assert direct.content == body[start : end + 1]
    unsatisfiable = server.download(id=entry["id"], headers={"Range": f"bytes={len(body) + 10}-"})
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["Content-Range"] == f"bytes */{len(body)}"

    signed = server.download(id=entry["id"], presigned=True)
    assert signed.status_code == 200, signed.text
    url = signed.json()["url"]
    plain = requests.Session()
    plain.trust_env = False
    tail = plain.get(url, headers={"Range": "bytes=-500"}, timeout=30)
    assert tail.status_code == 206, tail.text
    assert tail.headers["Content-Range"] == f"bytes {len(body) - 500}-{len(body) - 1}/{len(body)}"
    assert tail.content == body[-500:]
    beyond = plain.get(url, headers={"Range": f"bytes={len(body) + 10}-"}, timeout=30)
    assert beyond.status_code == 416


@pytest.mark.parametrize("name", [name for name, _, _ in CLIPS], ids=["mp4", "mov", "webm"])
def test_the_jobs_make_a_poster_a_thumbnail_and_a_720p_h264_mp4(server, stored, name, tmp_path):
    document_id = stored[name]["id"]
    assert wait_for_jobs(server, document_id) == {"poster": "done", "transcode": "done"}
    for variant in ("poster", "thumbnail", "mobile"):
        assert server.object_exists(f"derived/{document_id}/{variant}"), variant
    if server.on_s3:  # the local store encrypts at rest; the Swift tests (VideoJobWorkerTests) probe its renditions
        assert ffprobe(server.bucket.get(f"derived/{document_id}/poster"), tmp_path) == ["mjpeg", "320", "240"]
        assert ffprobe(server.bucket.get(f"derived/{document_id}/thumbnail"), tmp_path) == ["mjpeg", "256", "192"]
        codec, _, height = ffprobe(server.bucket.get(f"derived/{document_id}/mobile"), tmp_path)
        assert codec == "h264" and int(height) <= 720


def test_the_renditions_are_served_as_variants(server, clips, stored):
    document_id = stored["exercise.mp4"]["id"]
    assert wait_for_jobs(server, document_id) == {"poster": "done", "transcode": "done"}
    poster = server.get(f"{API}/download?id={document_id}&variant=poster")
    assert (poster.status_code, poster.headers["Content-Type"]) == (200, "image/jpeg")
    assert poster.content.startswith(b"\xff\xd8")
    mobile = server.get(f"{API}/download?id={document_id}&variant=mobile")
    assert (mobile.status_code, mobile.headers["Content-Type"]) == (200, "video/mp4")
    assert mobile.content != clips["exercise.mp4"], "the transcoded rendition, not the original"


def test_the_original_is_served_as_mobile_until_a_rendition_exists(tmp_path_factory, clips):
    plain = launch_server(tmp_path_factory.mktemp("video-plain"), "video-plain")  # MEDVAULT_TRANSCODE off: no rendition ever
    try:
        entry = plain.upload_ok([("exercise.mov", clips["exercise.mov"])], category="therapy-media", entity_type="provider", entity_id="E-VIDEO")[0]
        mobile = plain.get(f"{API}/download?id={entry['id']}&variant=mobile")
        assert (mobile.status_code, mobile.headers["Content-Type"]) == (200, "video/quicktime")
        assert mobile.content == clips["exercise.mov"]
        ranged = plain.get(f"{API}/download?id={entry['id']}&variant=mobile", headers={"Range": "bytes=0-99"})
        assert (ranged.status_code, ranged.content) == (206, clips["exercise.mov"][:100])
    finally:
        plain.shutdown()


def test_a_video_completed_through_a_direct_upload_gets_its_jobs(server, clips):
    body = clips["exercise.mp4"]
    fields = {"fileName": "direct.mp4", "size": len(body), "sha256": hashlib.sha256(body).hexdigest(), "category": "therapy-media"}
    created = server.post(API + "/uploads", json=fields | {"entityType": "provider", "entityId": "E-VIDEO"})
    assert created.status_code == 201, created.text
    session = created.json()
    part = session["parts"][0]
    assert requests.put(part["url"], data=body, headers=part["headers"], timeout=30).status_code == 200
    done = server.post(f"{API}/uploads/{session['uploadId']}/complete", json={"parts": []})
    assert done.status_code == 201, done.text
    assert wait_for_jobs(server, done.json()["id"]) == {"poster": "done", "transcode": "done"}


def test_an_imported_video_gets_its_jobs(server, clips, tmp_path):
    source = tmp_path / "imported.mp4"
    source.write_bytes(clips["exercise.mp4"])
    manifest = tmp_path / "manifest.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["entityId", "category", "fileName", "source", "entityType"])
        writer.writeheader()
        writer.writerow({"entityId": "E-VIDEO", "category": "therapy-media", "fileName": "imported.mp4", "source": str(source), "entityType": "provider"})
    result = server.cli(["import", "--manifest", str(manifest), "--report", str(tmp_path / "report.csv")], timeout=120)
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "report.csv", newline="", encoding="utf-8") as rows:
        document_id = next(csv.DictReader(rows))["id"]
    assert wait_for_jobs(server, document_id) == {"poster": "done", "transcode": "done"}


def test_config_reports_the_transcode_flag(server):
    assert server.get(API + "/config").json()["flags"] == {"transcode": True}


def test_documents_that_are_not_videos_get_no_job(server):
    entry = server.upload_ok([("notes.txt", b"plain text\n")], category="other", entity_type="provider", entity_id="E-VIDEO")[0]
    assert jobs_of(server, entry["id"]) == {}
