"""The S3 backend as S3 sees it: what medvault's API calls do to the bucket, checked with boto3.

Runs on the S3 peers only (MEDVAULT_E2E_BACKEND=ministack|moto); each server gets its own bucket. ministack
checks signatures (AUTH=true), so a medvault request it accepts is correctly signed and a tampered
pre-signed URL must be refused; moto checks none, so those cases are skipped there.
"""

from __future__ import annotations

import hashlib
import re
import time
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import pytest
import requests

import samples
from backends import peer_environment
from support import API, MiB, assert_error, free_port, run_cli, stream_upload_until_response

pytestmark = [pytest.mark.s3_only("the bucket behind medvault, seen through the S3 API"), pytest.mark.s3_semantics("the S3 backend itself")]

BIG_SIZE = 40 * MiB  # far over the part size (8 MiB when written): a multipart upload
PART_SIZE = 8 * MiB  # only to pick ranges near part boundaries


def strict_only(backend: str) -> None:
    if backend != "ministack":
        pytest.skip(f"{backend} checks no signatures on pre-signed URLs; ministack (AUTH=true) does")


def plain_get(url: str, **kwargs) -> requests.Response:
    """A plain HTTP client: no credentials, no cookies, no proxy."""
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=60, **kwargs)


def presigned(server, key: str, **params) -> dict:
    query = urlencode({"key": key, "presigned": "true", **params}, quote_via=quote, safe="/")
    response = server.get(API + "/download?" + query)
    assert response.status_code == 200, response.text
    return response.json()


def flip_signature(url: str) -> str:
    signature = dict(parse_qsl(urlsplit(url).query))["X-Amz-Signature"]
    return replace_param(url, "X-Amz-Signature", ("0" if signature[0] != "0" else "1") + signature[1:])


def replace_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    pieces = [f"{p.partition('=')[0]}={quote(value, safe='-_.~')}" if unquote(p.partition("=")[0]) == name else p for p in parts.query.split("&")]
    assert pieces != parts.query.split("&"), f"{name} not in the URL"
    return urlunsplit(parts._replace(query="&".join(pieces)))


@pytest.fixture(scope="module")
def big(server):
    """A 40 MiB DICOM, uploaded once: (entry, bytes)."""
    head = samples.dicom_stream_head(BIG_SIZE)
    # Not all zeros after the header, so a part stored twice or out of order would show.
    tail = bytearray(BIG_SIZE - len(head))
    for offset in range(0, len(tail), 1 * MiB):
        tail[offset : offset + 16] = offset.to_bytes(16, "big")
    data = head + bytes(tail)
    started = time.monotonic()
    entry = server.upload_ok([("ct-series.dcm", data)], category="imaging", entity_id="P-S3")[0]
    assert time.monotonic() - started < 120, "a 40 MiB upload should not take minutes"
    return entry, data


@pytest.fixture(scope="module")
def small(server):
    data = samples.pdf_of_size(120_000)
    return server.upload_ok([("discharge letter.pdf", data)], category="medical-records", entity_id="P-S3")[0], data


# --- configuration -----------------------------------------------------------------------------------


def test_config_names_the_s3_endpoint_bucket_region_and_encryption(server, backend):
    config = server.get(API + "/config").json()
    endpoint = urlsplit(peer_environment(backend)["AWS_ENDPOINT_URL_S3"])
    assert config["backend"] == "s3"
    assert config["endpointHost"] == endpoint.hostname
    assert config["bucket"] == server.bucket.name
    assert config["region"] == server.bucket.region
    assert "AES256" in config["encryption"], config["encryption"]
    assert config["encryptionCheck"]["serverSideEncryption"] == "AES256", "read back from a probe object's HeadObject"
    assert config["encryptionCheck"]["verified"] is True
    assert server.bucket.keys("temp/") == [], "the probe object is removed"
    assert config.get("dataDirectory") is None, "no data directory is reported for S3"
    assert config["storageEnabled"] is True


def test_config_and_logs_never_show_the_s3_secret(server, small, backend):
    secret = peer_environment(backend)["AWS_SECRET_ACCESS_KEY"]
    assert secret not in server.get(API + "/config").text
    server.download(small[0]["key"])
    assert secret not in server.output()


def test_production_with_s3_serves_documents(start_server):
    server = start_server({"MEDVAULT_ENV": "production"}, name="production-s3")
    entry = server.upload_ok([("prod.txt", b"production on S3\n")], entity_id="P-S3")[0]
    assert server.bucket.get(entry["key"]) == b"production on S3\n"
    assert server.get(API + "/config").json()["environment"] == "production"


# --- what lands in the bucket ------------------------------------------------------------------------


def test_uploaded_object_is_in_the_bucket_with_sse(server, small):
    entry, data = small
    head = server.bucket.head(entry["key"])
    assert head is not None, "the object is stored under the document's key"
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(data)
    assert server.bucket.get(entry["key"]) == data, "S3 holds the bytes as uploaded (SSE, not client-side encryption)"


def test_bucket_holds_exactly_the_listed_documents(server, small, big):
    listed = sorted(f["key"] for f in server.list_all(prefix="patients/"))
    assert {small[0]["key"], big[0]["key"]} <= set(listed)
    assert server.bucket.keys("patients/") == listed, "no stray objects, no listed document without its object"


def test_large_dicom_goes_up_in_parts(server, big):
    entry, data = big
    assert entry["size"] == BIG_SIZE
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    head = server.bucket.head(entry["key"])
    assert head is not None
    match = re.fullmatch(r'"?[0-9a-f]{32}-(\d+)"?', head["ETag"])
    assert match, f"expected a multipart ETag (md5-N), got {head['ETag']}"
    assert int(match.group(1)) >= 2, head["ETag"]
    assert head["ContentLength"] == BIG_SIZE
    assert head["ServerSideEncryption"] == "AES256", "multipart uploads carry SSE too"
    assert server.bucket.pending_uploads() == [], "the multipart upload was completed"


def test_large_dicom_downloads_identically(server, big):
    entry, data = big
    response = server.download(entry["key"])
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == BIG_SIZE
    assert hashlib.sha256(response.content).digest() == hashlib.sha256(data).digest()


@pytest.mark.parametrize(
    ("start", "end"),
    [(0, 0), (PART_SIZE - 8, PART_SIZE + 7), (3 * PART_SIZE + 1000, 3 * PART_SIZE + 400_000), (BIG_SIZE - 100, BIG_SIZE - 1)],
    ids=["first-byte", "across-a-part-boundary", "inside-a-part", "last-100"],
)
def test_range_download_of_the_large_object(server, big, start, end):
    entry, data = big
    response = server.download(entry["key"], headers={"Range": f"bytes={start}-{end}"})
    assert response.status_code == 206, response.text[:200]
    assert response.headers["Content-Range"] == f"bytes {start}-{end}/{BIG_SIZE}"
    assert response.content == data[start : end + 1]


def test_range_past_the_end_is_416(server, small):
    entry, data = small
    response = server.download(entry["key"], headers={"Range": f"bytes={len(data)}-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(data)}"


# --- pre-signed URLs to the bucket ---------------------------------------------------------------------


def test_presigned_url_points_at_the_s3_endpoint(server, small, backend):
    entry, _ = small
    body = presigned(server, entry["key"])
    url = urlsplit(body["url"])
    endpoint = urlsplit(peer_environment(backend)["AWS_ENDPOINT_URL_S3"])
    assert (url.scheme, url.netloc) == (endpoint.scheme, endpoint.netloc), "the URL goes to S3, not to medvault"
    assert url.netloc != f"127.0.0.1:{server.port}"
    assert unquote(url.path) == f"/{server.bucket.name}/{entry['key']}", "path-style: /bucket/key"
    query = dict(parse_qsl(url.query))
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert query["X-Amz-Credential"].startswith(peer_environment(backend)["AWS_ACCESS_KEY_ID"] + "/")
    assert query["X-Amz-Expires"] == "3600"
    assert query["response-content-type"] == "application/pdf"
    assert query["response-content-disposition"] == server.download(entry["key"]).headers["Content-Disposition"]


@pytest.mark.parametrize("which", ["small", "big"])
def test_presigned_url_fetches_identical_bytes_with_pinned_headers(server, small, big, which):
    entry, data = small if which == "small" else big
    url = presigned(server, entry["key"])["url"]
    response = plain_get(url)
    assert response.status_code == 200, response.text[:500]
    assert hashlib.sha256(response.content).digest() == hashlib.sha256(data).digest()
    query = dict(parse_qsl(urlsplit(url).query))
    assert response.headers["Content-Type"] == query["response-content-type"] == entry["contentType"]
    assert response.headers["Content-Disposition"] == query["response-content-disposition"]
    assert response.headers["Content-Disposition"] == server.download(entry["key"], headers={"Range": "bytes=0-0"}).headers["Content-Disposition"]


def test_presigned_url_serves_a_range_from_s3(server, big):
    entry, data = big
    response = plain_get(presigned(server, entry["key"])["url"], headers={"Range": f"bytes={PART_SIZE - 4}-{PART_SIZE + 3}"})
    assert response.status_code == 206
    assert response.content == data[PART_SIZE - 4 : PART_SIZE + 4]


def test_presigned_expires_is_signed_in(server, small):
    body = presigned(server, small[0]["key"], expires="60")
    assert dict(parse_qsl(urlsplit(body["url"]).query))["X-Amz-Expires"] == "60"
    assert plain_get(body["url"]).status_code == 200
    too_short = urlencode({"key": small[0]["key"], "presigned": "true", "expires": "59"}, quote_via=quote, safe="/")
    assert_error(server.get(API + "/download?" + too_short), 400, "invalid_parameter")


@pytest.mark.parametrize(
    "tamper",
    [
        flip_signature,
        lambda url: replace_param(url, "X-Amz-Expires", "604800"),
        lambda url: replace_param(url, "response-content-type", "text/html"),
    ],
    ids=["signature-altered", "expires-changed", "response-type-changed"],
)
def test_tampered_presigned_url_is_refused_by_s3(server, small, backend, tamper):
    strict_only(backend)
    entry, data = small
    url = presigned(server, entry["key"])["url"]
    assert plain_get(url).status_code == 200, "the URL as issued works"
    response = plain_get(tamper(url))
    assert response.status_code == 403, (response.status_code, response.text[:300])
    assert data[:64] not in response.content


def test_presigned_urls_use_the_public_endpoint_and_still_verify(start_server, backend):
    """AWS_S3_PUBLIC_ENDPOINT names the same S3 as clients reach it (here `localhost` for the `127.0.0.1`
    medvault talks to): URLs are signed for that host, and S3 accepts them there and only there."""
    strict_only(backend)
    endpoint = urlsplit(peer_environment(backend)["AWS_ENDPOINT_URL_S3"])
    assert endpoint.hostname == "127.0.0.1", endpoint
    public = f"{endpoint.scheme}://localhost:{endpoint.port}"
    server = start_server({"AWS_S3_PUBLIC_ENDPOINT": public}, name="public-endpoint")
    data = samples.pdf("public endpoint")
    entry = server.upload_ok([("public.pdf", data)], entity_id="P-S3-PUBLIC")[0]
    assert entry["key"] in server.bucket.keys(), "medvault still writes through AWS_ENDPOINT_URL_S3"

    url = presigned(server, entry["key"])["url"]
    assert urlsplit(url).netloc == f"localhost:{endpoint.port}"
    response = plain_get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.content == data
    internal = urlunsplit(urlsplit(url)._replace(netloc=endpoint.netloc))
    assert plain_get(internal).status_code == 403, "the host is signed in: the same URL on another host is refused"

    # Inside Docker Compose medvault cannot reach the browsers' `localhost`: the self-check follows its URLs through
    # the endpoint medvault uses, sending the public host they were signed for. A host that resolves nowhere proves it.
    unreachable = f"{endpoint.scheme}://medvault-public.invalid:{endpoint.port}"
    env = server.env_overrides | {"AWS_S3_PUBLIC_ENDPOINT": unreachable}
    selftest = run_cli(["selftest", "--data-dir", str(server.data_dir)], env=env, timeout=120)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert re.search(r"^PASS  pre-signed URL\s.*medvault-public\.invalid", selftest.stdout, re.MULTILINE), selftest.stdout


# --- deletes -------------------------------------------------------------------------------------------


def test_soft_delete_moves_the_object_to_archived(server):
    data = samples.pdf("archive me on S3")
    entry = server.upload_ok([("archive-me.pdf", data)], entity_id="P-S3")[0]
    response = server.delete_document(entry["key"])
    assert response.status_code == 200, response.text
    archived_key = response.json()["archivedKey"]
    assert archived_key == "archived/" + entry["key"]
    assert server.bucket.head(entry["key"]) is None, "the original key is gone"
    head = server.bucket.head(archived_key)
    assert head is not None, "the object is at archived/…"
    assert head["ServerSideEncryption"] == "AES256", "the copy is encrypted too"
    assert server.bucket.get(archived_key) == data
    assert server.download(archived_key).content == data


def test_permanent_delete_removes_the_object(server):
    entry = server.upload_ok([("destroy-me.txt", b"gone for good\n")], entity_id="P-S3")[0]
    assert server.bucket.exists(entry["key"])
    assert server.delete_document(entry["key"], permanent=True).status_code == 200
    assert server.bucket.head(entry["key"]) is None
    assert server.bucket.head("archived/" + entry["key"]) is None


def test_permanent_delete_of_an_archived_document(server):
    entry = server.upload_ok([("twice.txt", b"twice\n")], entity_id="P-S3")[0]
    archived_key = server.delete_document(entry["key"]).json()["archivedKey"]
    assert server.bucket.exists(archived_key)
    assert server.delete_document(archived_key, permanent=True).status_code == 200
    assert not server.bucket.exists(archived_key) and not server.bucket.exists(entry["key"])


# --- refused uploads leave nothing ---------------------------------------------------------------------


def test_over_limit_upload_leaves_no_incomplete_multipart_upload(server):
    """60 MiB of DICOM streamed: several 8 MiB parts are already in S3 when the 50 MiB limit is crossed;
    the 413 must come with the multipart upload aborted."""
    keys_before = server.bucket.keys()
    documents_before = server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]
    fields = [("category", "imaging"), ("entityId", "P-S3-LIMIT"), ("entityType", "patient")]
    answer = stream_upload_until_response(
        server.port,
        fields,
        "too-big.dcm",
        samples.dicom_stream_head(60 * MiB),
        file_bytes=50 * MiB + 256 * 1024,
        wait=60,
        token=server.admin_token,
    )
    assert answer.status == 413, (answer.status, answer.body[:300])
    assert answer.json()["error"]["code"] == "file_too_large"
    assert server.bucket.wait_no_pending_uploads(10) == [], "the multipart upload must be aborted"
    assert server.bucket.keys() == keys_before
    assert server.bucket.keys("patients/P-S3-LIMIT/") == []
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == documents_before


def test_rejected_upload_among_good_files_leaves_no_object(server):
    keys_before = server.bucket.keys()
    response = server.upload([("ok.txt", b"fine\n"), ("ok.pdf", samples.pdf()), ("bad.exe", samples.elf())], entity_id="P-S3-REJECT")
    assert_error(response, 415, "unsupported_type")
    assert server.bucket.keys() == keys_before
    assert server.bucket.wait_no_pending_uploads(5) == []


# --- S3 failing ----------------------------------------------------------------------------------------


def test_wrong_secret_is_a_storage_error_not_a_document(start_server, backend):
    """ministack checks header signatures: a wrong secret is refused by S3 and reported as 502 storage_denied."""
    strict_only(backend)
    server = start_server({"AWS_SECRET_ACCESS_KEY": "wrong-" + peer_environment(backend)["AWS_SECRET_ACCESS_KEY"]}, name="wrong-secret")
    response = server.upload([("denied.txt", b"never stored\n")], entity_id="P-S3-DENIED")
    error = assert_error(response, 502, "storage_denied")
    assert "SignatureDoesNotMatch" not in error["message"], "the S3 code goes to the log, not to the client"
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == 0, "a failed upload leaves no metadata row"
    assert server.bucket.keys() == [] and server.bucket.pending_uploads() == []
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1 and (rows[0]["outcome"], rows[0]["http_status"], rows[0]["error_code"]) == ("failed", 502, "storage_denied")
    assert peer_environment(backend)["AWS_SECRET_ACCESS_KEY"] not in server.output()


def test_unreachable_endpoint_is_503_with_retry_after(start_server):
    closed = f"http://127.0.0.1:{free_port()}"
    server = start_server({"AWS_ENDPOINT_URL_S3": closed}, name="unreachable")
    started = time.monotonic()
    response = server.upload([("nowhere.txt", b"nowhere\n")], entity_id="P-S3-DOWN")
    assert time.monotonic() - started < 60, "retries stay under a deadline"
    assert_error(response, 503, "storage_unavailable")
    assert response.headers.get("Retry-After"), "503 says when to retry"
    assert server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == 0
