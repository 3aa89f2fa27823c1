"""CloudFront signed URLs for the categories in MEDVAULT_CLOUDFRONT_CATEGORIES: with AWS_CLOUDFRONT_URL,
AWS_CLOUDFRONT_KEY_PAIR_ID and AWS_CLOUDFRONT_PRIVATE_KEY_FILE set, `signed-url` and `download?presigned=true`
answer canned-policy CloudFront URLs for those categories (checked here with the key's public half, as CloudFront
would) and S3's own URLs for the rest; a key that does not load stops start-up. No CloudFront runs here, so the
URLs are verified, not fetched; the byte-for-byte comparison with botocore is in Tests/ObjectStorageTests.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

import samples
from support import API, REPO_ROOT, ServerStartError, launch_server, plain_get, run_cli

pytestmark = [pytest.mark.s3_only("CloudFront fronts the S3 bucket"), pytest.mark.s3_semantics("signed delivery in front of the bucket")]

FIXTURES = REPO_ROOT / "Tests" / "ObjectStorageTests" / "Fixtures" / "cloudfront"
DISTRIBUTION = "https://d111111abcdef8.cloudfront.net"
KEY_PAIR_ID = "K2JCJMDEHXQW5F"
CLOUDFRONT_ENV = {
    "AWS_CLOUDFRONT_URL": DISTRIBUTION + "/",
    "AWS_CLOUDFRONT_KEY_PAIR_ID": KEY_PAIR_ID,
    "AWS_CLOUDFRONT_PRIVATE_KEY_FILE": str(FIXTURES / "test-key.pem"),
    "MEDVAULT_CLOUDFRONT_CATEGORIES": "imaging, lab-results",
}


def url_safe_b64decode(text: str) -> bytes:
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def verify_cloudfront_url(url: str, key: str) -> int:
    """Checks `url` as CloudFront would (canned policy, RSA-SHA1) and returns its `Expires`."""
    resource, _, query = url.partition("?")
    assert resource == f"{DISTRIBUTION}/{quote(key, safe='/')}"
    assert [name for name, _ in parse_qsl(query)] == ["Expires", "Signature", "Key-Pair-Id"]
    params = dict(parse_qsl(query))
    assert params["Key-Pair-Id"] == KEY_PAIR_ID
    expires = int(params["Expires"])
    policy = json.dumps(
        {"Statement": [{"Resource": resource, "Condition": {"DateLessThan": {"AWS:EpochTime": expires}}}]}, separators=(",", ":")
    ).encode()
    private = serialization.load_pem_private_key((FIXTURES / "test-key.pem").read_bytes(), password=None)
    private.public_key().verify(url_safe_b64decode(params["Signature"]), policy, padding.PKCS1v15(), hashes.SHA1())
    return expires


@pytest.fixture(scope="module")
def cdn(tmp_path_factory):
    server = launch_server(tmp_path_factory.mktemp("cloudfront"), "cloudfront", CLOUDFRONT_ENV)
    yield server
    server.shutdown()


def upload(server, name: str, category: str) -> tuple[dict, bytes]:
    data = samples.pdf(f"cloudfront {name}")
    return server.upload_ok([(name, data)], category=category, entity_id="cf-p1")[0], data


def test_configured_categories_get_a_signed_cloudfront_url(cdn):
    entry, _ = upload(cdn, "ct report (1).pdf", "imaging")
    response = cdn.get(f"/api/v2/documents/{entry['id']}/signed-url?expires=900")
    assert response.status_code == 200, response.text
    body = response.json()
    expires = verify_cloudfront_url(body["url"], entry["key"])
    assert body["expiresAt"] == f"{datetime.fromtimestamp(expires, timezone.utc):%Y-%m-%dT%H:%M:%SZ}"
    assert response.headers["Cache-Control"] == "private, max-age=600"
    row = cdn.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["action"], row["outcome"]) == ("document.presign", "success")
    assert row["detail"].endswith("via CloudFront")
    presigned = cdn.get(API + f"/download?id={entry['id']}&presigned=true")
    verify_cloudfront_url(presigned.json()["url"], entry["key"])


def test_other_categories_keep_s3_urls(cdn):
    entry, data = upload(cdn, "letter.pdf", "medical-records")
    url = cdn.get(f"/api/v2/documents/{entry['id']}/signed-url").json()["url"]
    assert not url.startswith(DISTRIBUTION)
    assert "X-Amz-Signature=" in url
    assert plain_get(url).content == data


def test_a_tampered_url_does_not_verify(cdn):
    entry, _ = upload(cdn, "scan.pdf", "lab-results")
    url = cdn.get(f"/api/v2/documents/{entry['id']}/signed-url").json()["url"]
    other_key = entry["key"].replace("cf-p1", "cf-p2")
    with pytest.raises(InvalidSignature):
        verify_cloudfront_url(url.replace(quote(entry["key"], safe="/"), quote(other_key, safe="/")), other_key)


def test_revoking_moves_the_object_so_old_cloudfront_urls_name_nothing(cdn):
    entry, data = upload(cdn, "mri.pdf", "imaging")
    old = cdn.get(f"/api/v2/documents/{entry['id']}/signed-url").json()["url"]
    revoked = cdn.post(f"/api/v2/documents/{entry['id']}/revoke")
    assert revoked.status_code == 200, revoked.text
    new_key = revoked.json()["key"]
    assert new_key != entry["key"]
    assert not cdn.object_exists(entry["key"])
    assert cdn.object_exists(new_key)
    new = cdn.get(f"/api/v2/documents/{entry['id']}/signed-url").json()["url"]
    verify_cloudfront_url(new, new_key)
    assert urlsplit(old).path != urlsplit(new).path


@pytest.mark.parametrize(
    "change",
    [
        {"AWS_CLOUDFRONT_PRIVATE_KEY_FILE": "/nonexistent/key.pem"},
        {"AWS_CLOUDFRONT_PRIVATE_KEY_FILE": str(Path(__file__))},
        {"AWS_CLOUDFRONT_KEY_PAIR_ID": None},
        {"AWS_CLOUDFRONT_URL": None},
        {"AWS_CLOUDFRONT_KEY_PAIR_ID": "K 1"},
        {"MEDVAULT_CLOUDFRONT_CATEGORIES": "imaging,x-rays"},
    ],
)
def test_a_key_or_setting_that_does_not_work_stops_start_up(tmp_path, change):
    with pytest.raises(ServerStartError) as refused:
        server = launch_server(tmp_path, "cloudfront-bad", CLOUDFRONT_ENV | change)
        server.shutdown()
    # A clear refusal naming what is wrong, not a crash.
    assert "CLOUDFRONT" in str(refused.value).upper(), str(refused.value)[-2000:]
    assert "Fatal error" not in str(refused.value)


def test_the_self_check_signs_a_url_that_parses_back_and_verifies(cdn):
    result = cdn.cli(["selftest"], timeout=300)
    lines = [line for line in result.stdout.splitlines() if " configuration " in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("PASS"), lines[0]
    assert f"CloudFront: key pair {KEY_PAIR_ID} signs canned-policy URLs that verify, for imaging, lab-results." in lines[0]


def test_the_self_check_refuses_a_key_that_does_not_load(cdn):
    bad = run_cli(["selftest", "--data-dir", str(cdn.data_dir)], env=cdn.env_overrides | {"AWS_CLOUDFRONT_PRIVATE_KEY_FILE": str(Path(__file__))})
    assert bad.returncode != 0
    assert "CloudFront private key" in bad.stderr + bad.stdout
