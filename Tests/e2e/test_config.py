"""GET /api/v2/aws/s3/config, secrecy of configuration, and the storage flags (feature flag, production)."""

from __future__ import annotations

import base64
import json
import os
import stat
import uuid

import pytest
import requests

import samples
from support import API, CATEGORY_FOLDER, ENTITY_ROOT, MiB, assert_error


def test_config_lists_limits_types_categories_and_presign_bounds(server):
    response = server.get(API + "/config")
    assert response.status_code == 200, response.text
    assert response.headers.get("X-Request-Id")
    config = response.json()
    assert config["backend"] == ("s3" if server.on_s3 else "local")
    assert isinstance(config["region"], str) and config["region"]
    assert config["storageEnabled"] is True
    assert config["limits"] == {"imageMaxBytes": 10 * MiB, "documentMaxBytes": 25 * MiB, "maxFileBytes": 50 * MiB, "videoMaxBytes": 500 * MiB}
    assert {c["name"]: c["folder"] for c in config["categories"]} == CATEGORY_FOLDER
    assert sorted(config["entityTypes"]) == sorted(ENTITY_ROOT)
    assert config["presign"] == {"defaultExpiresSeconds": 3600, "minExpiresSeconds": 60, "maxExpiresSeconds": 604800, "breakGlassMaxExpiresSeconds": 900}
    check = config["encryptionCheck"]
    assert check["verified"] is True, check
    assert check["serverSideEncryption"] == ("AES256" if server.on_s3 else "AES-256-GCM"), check
    assert [key for key in server.stored_objects() if key.startswith("temp/")] == [], "the encryption probe object is removed"
    allowed = json.dumps(config["allowedTypes"])
    for mime in (
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/svg+xml",
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text/plain",
        "text/csv",
        "application/dicom",
    ):
        assert mime in allowed, f"{mime} missing from allowedTypes"

    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1 and (rows[0]["action"], rows[0]["outcome"]) == ("storage.config", "success")


@pytest.mark.local_only("the data directory and the at-rest encryption of the local store; test_s3_backend checks S3's")
def test_config_describes_the_local_store(server):
    config = server.get(API + "/config").json()
    assert config["backend"] == "local"
    assert os.path.realpath(config["dataDirectory"]) == os.path.realpath(server.data_dir)
    assert isinstance(config["encryption"], str) and "AES" in config["encryption"].upper()
    assert config.get("bucket") is None


@pytest.mark.local_only("storage.key file permissions")
def test_generated_key_file_is_private_and_never_shown(server):
    server.upload_ok([("k.txt", b"make sure the store is in use\n")], entity_id="P-CFG")
    key_file = server.data_dir / "storage.key"
    assert key_file.is_file(), "without MEDVAULT_STORAGE_KEY the store generates a key file"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = key_file.read_bytes()
    body = server.get(API + "/config").content
    for form in {secret, secret.strip(), base64.b64encode(secret), secret.hex().encode(), base64.b64encode(secret.strip())}:
        assert form and form not in body


@pytest.mark.local_only("MEDVAULT_STORAGE_KEY and a configuration without a bucket; test_s3_backend checks the S3 secret")
def test_config_never_shows_secrets(start_server):
    storage_key = base64.b64encode(os.urandom(32)).decode()
    aws_secret = "e2eFakeSecret" + uuid.uuid4().hex
    aws_key_id = "AKIAE2E" + uuid.uuid4().hex[:12].upper()
    server = start_server(
        {"MEDVAULT_STORAGE_KEY": storage_key, "AWS_SECRET_ACCESS_KEY": aws_secret, "AWS_ACCESS_KEY_ID": aws_key_id},
        name="secrets",
    )
    server.upload_ok([("s.txt", b"secret test\n")], entity_id="P-CFG")
    response = server.get(API + "/config")
    assert response.status_code == 200, response.text
    text = response.text
    assert response.json()["backend"] == "local", "no bucket configured: the local store stays in use"
    assert storage_key not in text
    assert base64.b64decode(storage_key).hex() not in text
    assert aws_secret not in text
    assert not (server.data_dir / "storage.key").exists(), "with MEDVAULT_STORAGE_KEY no key file is generated"
    server.stop()
    assert storage_key not in server.output() and aws_secret not in server.output(), "secrets must not be logged"


@pytest.mark.local_only("a wrong MEDVAULT_STORAGE_KEY on the local store's encrypted files")
def test_storage_key_from_environment_is_used(start_server, tmp_path):
    """Objects written with one MEDVAULT_STORAGE_KEY cannot be read after restarting with another."""
    first_key = base64.b64encode(os.urandom(32)).decode()
    server = start_server({"MEDVAULT_STORAGE_KEY": first_key}, name="keyed")
    entry = server.upload_ok([("keyed.txt", b"keyed content\n")], entity_id="P-CFG")[0]
    assert server.stop() == 0
    server.env_overrides["MEDVAULT_STORAGE_KEY"] = first_key
    server.start()
    assert server.download(entry["key"]).content == b"keyed content\n", "same key after restart reads the object"
    assert server.stop() == 0
    server.env_overrides["MEDVAULT_STORAGE_KEY"] = base64.b64encode(os.urandom(32)).decode()
    server.start()
    try:
        response = server.download(entry["key"])
    except requests.RequestException:
        return  # the server aborted the response: no plaintext reached the client
    assert response.status_code >= 500, "a wrong key must never return bytes"
    assert b"keyed content" not in response.content


DOCUMENT_CALLS = {
    "upload": lambda s: s.upload([("a.txt", b"x\n")]),
    "download": lambda s: s.download(f"patients/P1/other/{uuid.uuid4()}-a.txt"),
    "list": lambda s: s.list(),
    "delete": lambda s: s.delete_document(f"patients/P1/other/{uuid.uuid4()}-a.txt"),
}


@pytest.mark.parametrize("flag", ["ENABLE_AWS_S3_STORAGE", "NEXT_PUBLIC_ENABLE_AWS_S3_STORAGE"])
def test_feature_flag_off_disables_document_endpoints(start_server, flag):
    server = start_server({flag: "false"}, name="disabled")
    for name, call in DOCUMENT_CALLS.items():
        response = call(server)
        assert_error(response, 503, "storage_disabled")
        rows = server.audit_rows(response.headers["X-Request-Id"])
        assert len(rows) == 1, f"{name}: refused calls are audited too"
    stats = server.get(API + "/stats")
    assert_error(stats, 503, "storage_disabled")
    config = server.get(API + "/config")
    assert config.status_code == 200, "config still answers, to say that storage is off"
    assert config.json()["storageEnabled"] is False
    assert server.get("/healthz").status_code == 200
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == 0
    assert server.stored_objects() == []


def test_production_without_s3_is_not_configured(start_server):
    """Independent of the backend under test: this server gets no S3 settings at all."""
    server = start_server({"MEDVAULT_ENV": "production"}, name="production", s3=False)
    for call in DOCUMENT_CALLS.values():
        assert_error(call(server), 503, "storage_not_configured")
    assert server.get("/healthz").status_code == 200
    assert not (server.data_dir / "objects").exists() or not any((server.data_dir / "objects").rglob("*.txt"))


def test_upload_works_when_flag_is_explicitly_on(start_server):
    server = start_server({"ENABLE_AWS_S3_STORAGE": "true"}, name="enabled")
    entry = server.upload_ok([("on.pdf", samples.pdf())], entity_id="P-CFG")[0]
    assert server.download(entry["key"]).status_code == 200
    assert server.object_exists(entry["key"])
