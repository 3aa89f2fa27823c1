"""Malware scanning by ClamAV's daemon: every uploaded byte is scanned while it is stored, a finding is refused with
422 malware_detected, a scan that cannot be completed with 503 scanner_unavailable, and nothing of either is stored.

The servers here run against the shared clamd of scripts/clamd.sh (test.sh's clamd stage), whose database detects the
EICAR test file and the suite's marker (clamd.py); the outage and start-up tests start clamds of their own, with the
limits they need. Runs on every backend: on S3 a finding must leave neither an object nor an incomplete upload.
"""

from __future__ import annotations

import pytest

import samples
from clamd import EICAR, EICAR_SIGNATURE, MARKER, MARKER_SIGNATURE, PrivateClamd
from support import ADMIN_API, API, AUTH_ENV, MiB, assert_error, free_port, launch_server, run_cli, stream_upload_until_response
from test_upload import ACCEPTED

FIELDS = [("category", "imaging"), ("entityId", "P-AV"), ("entityType", "patient")]


@pytest.fixture(scope="module")
def scanning(clamd_url, tmp_path_factory):
    """A server that scans every upload with the shared clamd."""
    started = launch_server(tmp_path_factory.mktemp("antivirus"), "antivirus", {"MEDVAULT_CLAMD_URL": clamd_url})
    yield started
    started.shutdown()


def documents(server) -> int:
    return server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]


def scan_stats(server) -> tuple[int, int]:
    response = server.get(API + "/stats")
    assert response.status_code == 200, response.text
    stats = response.json()
    return stats["scannedFiles"], stats["refusedMalware"]


class NothingStored:
    """Checks that a refused upload left the store and the index as they were: no row, no object, no temporary file
    or incomplete multipart upload."""

    def __init__(self, server):
        self.server = server
        self.documents = documents(server)
        self.objects = server.stored_objects()

    def check(self) -> None:
        assert documents(self.server) == self.documents, "a refused upload must commit no row"
        assert self.server.stored_objects() == self.objects, "a refused upload must leave no object"
        assert self.server.leftovers() == [], "a refused upload must leave no temporary file or incomplete upload"


def dicom_with_marker(size: int, marker_offset: int | None) -> bytes:
    """A DICOM file of `size` bytes whose pixel data is zeros, with the suite's marker at `marker_offset` if given."""
    head = samples.dicom_stream_head(size)
    data = bytearray(head) + bytes(size - len(head))
    if marker_offset is not None:
        data[marker_offset : marker_offset + len(MARKER)] = MARKER
    return bytes(data)


def test_config_reports_clamd_and_its_check(scanning, clamd_url):
    config = scanning.get(API + "/config").json()
    assert config["antivirus"] == "clamd"
    check = config["antivirusCheck"]
    assert check["address"] == clamd_url
    assert check["reachable"] is True
    assert check["version"].split(".")[0].isdigit(), check
    # The suite's database is unofficial: clamd reports no signature version or date for it (null fields are left out).
    assert "signatureVersion" not in check and "signatureDate" not in check
    assert check["eicarRefused"] is True
    assert check["eicarSignature"] == EICAR_SIGNATURE
    assert "problem" not in check


def test_eicar_as_text_is_refused_and_audited_with_its_signature(scanning):
    nothing = NothingStored(scanning)
    scanned, refused = scan_stats(scanning)

    response = scanning.upload([("eicar.txt", EICAR)], entity_id="P-AV")

    assert_error(response, 422, "malware_detected")
    assert EICAR_SIGNATURE not in response.text, "the signature goes to the audit trail, not to the client"
    nothing.check()
    rows = scanning.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    row = rows[0]
    assert (row["action"], row["outcome"], row["http_status"], row["error_code"]) == ("document.upload", "rejected", 422, "malware_detected")
    assert row["detail"] == f"signature: {EICAR_SIGNATURE}"
    assert row["document_key"].startswith("patients/P-AV/medical-records/") and row["document_key"].endswith("-eicar.txt")
    assert row["patient_id"] == "P-AV"
    assert scan_stats(scanning) == (scanned + 1, refused + 1)
    assert EICAR_SIGNATURE not in scanning.output(), "the signature never reaches the log"


def test_the_audit_api_filters_on_malware_detected(scanning):
    refused = scanning.upload([("again.txt", EICAR)], entity_id="P-AV")
    assert_error(refused, 422, "malware_detected")
    scanning.upload_ok([("fine.txt", samples.TEXT)], entity_id="P-AV")

    response = scanning.get(ADMIN_API + "/audit", params={"code": "malware_detected"})
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    assert events and all(event["errorCode"] == "malware_detected" for event in events)
    assert refused.headers["X-Request-Id"] in {event["requestId"] for event in events}
    assert all(event["detail"].startswith("signature: ") for event in events)
    assert_error(scanning.get(ADMIN_API + "/audit", params={"code": "Malware Detected"}), 400, "invalid_parameter")


def test_a_signature_in_the_last_megabyte_of_a_40_mib_dicom_is_found(scanning):
    """No size gap: the last megabyte of a 40 MiB file is scanned like the first."""
    size = 40 * MiB
    nothing = NothingStored(scanning)
    scanned, refused = scan_stats(scanning)

    infected = scanning.upload([("ct-series.dcm", dicom_with_marker(size, size - 700 * 1024))], category="imaging", entity_id="P-AV")

    assert_error(infected, 422, "malware_detected")
    nothing.check()
    row = scanning.audit_rows(infected.headers["X-Request-Id"])[0]
    assert row["detail"] == f"signature: {MARKER_SIGNATURE}"
    assert MARKER_SIGNATURE not in scanning.output()

    clean = scanning.upload_ok([("ct-series.dcm", dicom_with_marker(size, None))], category="imaging", entity_id="P-AV")
    assert clean[0]["size"] == size
    assert clean[0]["contentType"] == "application/dicom"
    assert scan_stats(scanning) == (scanned + 2, refused + 1)


def test_a_clean_file_of_every_allowed_type_is_accepted(scanning):
    scanned, refused = scan_stats(scanning)
    files = [(name, data) for name, data, _ in ACCEPTED]

    response = scanning.upload(files, category="medical-records", entity_id="P-AV")

    assert response.status_code == 201, response.text
    stored = response.json()["files"]
    assert [entry["contentType"] for entry in stored] == [mime for _, _, mime in ACCEPTED]
    rows = scanning.audit_rows(response.headers["X-Request-Id"], expected=len(files))
    assert [row["detail"] for row in rows] == ["scan: clean"] * len(files)
    assert scan_stats(scanning) == (scanned + len(files), refused)
    for entry, (_, data, _) in zip(stored, ACCEPTED):
        assert scanning.download(key=entry["key"]).content == data


def test_one_infected_file_refuses_the_whole_upload(scanning):
    nothing = NothingStored(scanning)
    response = scanning.upload([("first.pdf", samples.pdf()), ("second.txt", EICAR), ("third.png", samples.png())], entity_id="P-AV")
    assert_error(response, 422, "malware_detected")
    nothing.check()


def test_selftest_checks_the_antivirus(scanning):
    result = scanning.cli(["selftest"])
    line = next(line for line in result.stdout.splitlines() if line.split()[1:2] == ["antivirus"])
    assert line.startswith("PASS"), result.stdout
    assert f"refused the EICAR test file as {EICAR_SIGNATURE}" in line
    assert "unofficial signature databases only" in line


def test_clamd_stopped_mid_run_refuses_uploads_until_it_is_back(start_server, tmp_path):
    """clamd stops during an upload (503, nothing stored), uploads are refused while it is down, and work again
    once it is back, without restarting medvault. Over TCP, which the shared clamd does not exercise."""
    with PrivateClamd(tmp_path / "clamd", tcp_port=free_port()) as clamd:
        server = start_server({"MEDVAULT_CLAMD_URL": clamd.tcp_url}, name="clamd-outage")
        server.upload_ok([("before.txt", samples.TEXT)], entity_id="P-AV")
        nothing = NothingStored(server)

        stopped: list[int] = []

        def stop_clamd_once(sent: int) -> None:
            if sent >= 4 * MiB and not stopped:
                clamd.stop()
                stopped.append(sent)

        answer = stream_upload_until_response(
            server.port,
            FIELDS,
            "series.dcm",
            samples.dicom_stream_head(30 * MiB),
            file_bytes=30 * MiB,
            wait=30,
            token=server.admin_token,
            on_progress=stop_clamd_once,
        )
        assert stopped, "clamd was stopped during the upload"
        assert answer.status == 503, (answer.status, answer.body[:300])
        assert answer.json()["error"]["code"] == "scanner_unavailable"
        assert answer.headers.get("retry-after") == "30"
        assert not answer.sending_finished, "the refusal came while the upload was still arriving"
        nothing.check()
        row = server.audit_rows(answer.headers["x-request-id"])[0]
        assert (row["outcome"], row["http_status"], row["error_code"]) == ("failed", 503, "scanner_unavailable")
        assert row["detail"].startswith("scan: clamd_"), row["detail"]

        down = server.upload([("during.txt", samples.TEXT)], entity_id="P-AV")
        assert_error(down, 503, "scanner_unavailable")
        assert down.headers["Retry-After"] == "30"
        assert server.audit_rows(down.headers["X-Request-Id"])[0]["detail"] == "scan: clamd_unreachable"
        nothing.check()
        check = server.get(API + "/config").json()["antivirusCheck"]
        assert (check["reachable"], check["eicarRefused"], check["problem"]) == (False, False, "clamd_unreachable")
        assert "version" not in check

        clamd.start()
        after = server.upload_ok([("after.txt", samples.TEXT)], entity_id="P-AV")
        assert server.download(key=after[0]["key"]).content == samples.TEXT
        assert_error(server.upload([("eicar.txt", EICAR)], entity_id="P-AV"), 422, "malware_detected")


@pytest.mark.local_only("start-up does not depend on the store")
@pytest.mark.parametrize(
    ("limits", "fixes"),
    [
        # Debian's own clamd.conf: files over 25 MiB are skipped and reported clean.
        ({"CLAMD_MAX_FILE_SIZE": "25M", "CLAMD_ALERT_EXCEEDS_MAX": "no"}, ["MaxFileSize to at least 50M", "MaxScanSize to at least 100M"]),
        ({"CLAMD_MAX_SCAN_SIZE": "30M", "CLAMD_ALERT_EXCEEDS_MAX": "yes"}, ["MaxFileSize to at least 50M", "MaxScanSize to at least 100M"]),
        ({"CLAMD_STREAM_MAX_LENGTH": "25M"}, ["StreamMaxLength to at least 50M"]),
    ],
    ids=["max-file-size-silent", "max-scan-size-alerted", "stream-max-length"],
)
def test_startup_is_refused_when_clamd_would_not_scan_the_largest_file(tmp_path, limits, fixes):
    with PrivateClamd(tmp_path / "clamd", **limits) as clamd:
        result = run_cli(
            ["serve", "--port", str(free_port()), "--data-dir", str(tmp_path / "data")],
            env=AUTH_ENV | {"MEDVAULT_CLAMD_URL": clamd.unix_url},
            timeout=60,
        )
    assert result.returncode != 0, result.stdout
    for fix in fixes:
        assert fix in result.stderr, result.stderr


@pytest.mark.local_only("start-up does not depend on the store")
def test_startup_is_refused_when_clamd_does_not_answer(tmp_path):
    result = run_cli(
        ["serve", "--port", str(free_port()), "--data-dir", str(tmp_path / "data")],
        env=AUTH_ENV | {"MEDVAULT_CLAMD_URL": f"unix://{tmp_path}/none.sock", "MEDVAULT_CLAMD_START_TIMEOUT": "1"},
        timeout=60,
    )
    assert result.returncode != 0
    assert "did not answer within MEDVAULT_CLAMD_START_TIMEOUT" in result.stderr, result.stderr


@pytest.mark.local_only("configuration does not depend on the store")
@pytest.mark.parametrize("url", ["http://127.0.0.1:3310", "unix://relative/clamd.ctl", "tcp://127.0.0.1:99999", "clamd"])
def test_an_invalid_clamd_url_is_refused(tmp_path, url):
    result = run_cli(["serve", "--port", str(free_port()), "--data-dir", str(tmp_path / "data")], env=AUTH_ENV | {"MEDVAULT_CLAMD_URL": url})
    assert result.returncode != 0
    assert "MEDVAULT_CLAMD_URL must be unix:///absolute/path/to/clamd.ctl or tcp://host:port" in result.stderr, result.stderr


def test_production_without_clamd_warns_and_reports_off(start_server):
    server = start_server({"MEDVAULT_ENV": "production"}, name="production-no-clamd")
    assert "uploads are NOT scanned for malware" in server.output()
    config = server.get(API + "/config").json()
    assert (config["antivirus"], config.get("antivirusCheck")) == ("off", None)


def test_development_without_clamd_reports_off_without_warning(start_server):
    server = start_server(name="development-no-clamd")
    assert "NOT scanned" not in server.output()
    config = server.get(API + "/config").json()
    assert (config["antivirus"], config.get("antivirusCheck")) == ("off", None)
    assert scan_stats(server) == (0, 0)
