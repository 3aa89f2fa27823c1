"""Pre-signed URLs on the local store: real SigV4 URLs to medvault itself (`/api/v2/aws/s3/objects/…`),
fetched by a plain HTTP client, refused when tampered with or expired, every fetch audited.

The expired case is not waited for: the server is started with a known MEDVAULT_STORAGE_KEY, the URL
signing secret is derived from it exactly as Sources/Server/API/Storage/LocalPresignedURLs.swift does (HKDF-SHA256,
no salt, its info string, 32 bytes, base64), and botocore — an independent SigV4 implementation — signs
URLs dated in the past or future. A URL botocore signs for "now" must work, so `expired` is only ever
reported for an authentic URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import pytest
import requests

import samples
from backends import presign_get
from support import ADMIN, API, assert_error, launch_server

pytestmark = pytest.mark.local_only("pre-signed URLs served and verified by medvault itself; test_s3_backend covers S3's")

OBJECTS_PATH = API + "/objects/"
ACCESS_KEY_ID = "MEDVAULTLOCAL"
REGION = "us-east-1"
HKDF_INFO = b"medvault local pre-signed URL signing key v1"
STORAGE_KEY = base64.b64encode(os.urandom(32)).decode()

PDF = samples.pdf_of_size(150_000)
CSV = samples.CSV


def local_signing_secret(storage_key_b64: str) -> str:
    """HKDF-SHA256 (RFC 5869) of the master key, empty salt, medvault's info string, 32 bytes; base64."""
    prk = hmac.new(b"\x00" * 32, base64.b64decode(storage_key_b64), hashlib.sha256).digest()
    okm = hmac.new(prk, HKDF_INFO + b"\x01", hashlib.sha256).digest()
    return base64.b64encode(okm).decode()


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """A local-store server whose master key (and so URL signing secret) the test knows."""
    server = launch_server(tmp_path_factory.mktemp("presigned-local"), "presigned-local", {"MEDVAULT_STORAGE_KEY": STORAGE_KEY})
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def stored(keyed):
    files = keyed.upload_ok([("scan-report.pdf", PDF), ("values.csv", CSV)], category="lab-results", entity_id="P-PRESIGN")
    return {entry["fileName"]: entry for entry in files}


def client() -> requests.Session:
    """A plain HTTP client: no cookies, no credentials, no proxy, nothing from medvault's test session."""
    session = requests.Session()
    session.trust_env = False
    return session


def presign(server, key: str, auth=ADMIN, **params) -> requests.Response:
    query = urlencode({"key": key, "presigned": "true", **params}, quote_via=quote, safe="/")
    return server.get(API + "/download?" + query, auth=auth)


def presigned_url(server, key: str, auth=ADMIN, **params) -> str:
    response = presign(server, key, auth=auth, **params)
    assert response.status_code == 200, response.text
    return response.json()["url"]


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def with_query(url: str, **changes: str) -> str:
    """The URL with some query parameters replaced or added; every other byte of it is kept as issued."""
    parts = urlsplit(url)
    pieces = []
    for piece in parts.query.split("&"):
        name = unquote(piece.partition("=")[0])
        pieces.append(f"{piece.partition('=')[0]}={quote(changes.pop(name), safe='-_.~')}" if name in changes else piece)
    pieces += [f"{quote(name, safe='-_.~')}={quote(value, safe='-_.~')}" for name, value in changes.items()]
    return urlunsplit(parts._replace(query="&".join(pieces)))


def fetch(server, url: str, outcome: str, status: int, error_code: str | None = None, key: str | None = None, **kwargs):
    """GETs `url` with a plain client and checks its one `document.presigned_fetch` audit row (a refused
    signature is an access decision: outcome `denied`)."""
    response = client().get(url, timeout=30, **kwargs)
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.text[:300]}"
    request_id = response.headers.get("X-Request-Id")
    assert request_id, "every answer carries a request id"
    rows = server.audit_rows(request_id)
    assert len(rows) == 1, f"expected one audit row for the fetch, got {rows}"
    row = rows[0]
    assert (row["action"], row["outcome"], row["http_status"], row["error_code"]) == ("document.presigned_fetch", outcome, status, error_code)
    if key is not None:
        assert row["document_key"] == key
    return response


def medvault_signed(server, key: str, signed_at: datetime, expires: int, secret: str | None = None) -> str:
    """A URL for `key` signed by botocore with the local secret, as of `signed_at`."""
    issued = query_of(presigned_url(server, key))
    params = {name: issued[name] for name in ("response-content-disposition", "response-content-type")}
    return presign_get(
        f"{server.base_url}{OBJECTS_PATH}{quote(key, safe='/')}",
        ACCESS_KEY_ID,
        secret or local_signing_secret(STORAGE_KEY),
        REGION,
        expires,
        signed_at,
        params,
    )


# --- issuing and fetching --------------------------------------------------------------------------


def test_presigned_url_points_at_medvault(keyed, stored):
    entry = stored["scan-report.pdf"]
    before = datetime.now(timezone.utc)
    response = presign(keyed, entry["key"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"url", "expiresAt"}
    parts = urlsplit(body["url"])
    assert (parts.scheme, parts.netloc) == ("http", f"127.0.0.1:{keyed.port}")
    assert unquote(parts.path) == OBJECTS_PATH + entry["key"]
    query = query_of(body["url"])
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    key_id, day, region, service, terminator = query["X-Amz-Credential"].split("/")
    assert (key_id, region, service, terminator) == (ACCESS_KEY_ID, REGION, "s3", "aws4_request")
    assert query["X-Amz-Date"].startswith(day)
    assert query["X-Amz-Expires"] == "3600", "one hour by default"
    assert query["X-Amz-SignedHeaders"] == "host"
    assert len(query["X-Amz-Signature"]) == 64
    assert query["response-content-type"] == "application/pdf"
    assert query["response-content-disposition"].startswith("inline")
    expires_at = datetime.fromisoformat(body["expiresAt"].replace("Z", "+00:00"))
    assert timedelta(seconds=3590) < expires_at - before < timedelta(seconds=3660)

    rows = keyed.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["document_key"]) == ("document.presign", "success", entry["key"])


@pytest.mark.parametrize("name", ["scan-report.pdf", "values.csv"])
def test_presigned_url_fetches_identical_bytes_without_credentials(keyed, stored, name):
    entry = stored[name]
    data = PDF if name.endswith(".pdf") else CSV
    url = presigned_url(keyed, entry["key"])
    response = fetch(keyed, url, "success", 200, key=entry["key"])
    assert response.content == data
    assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]
    query = query_of(url)
    assert response.headers["Content-Type"].split(";")[0] == query["response-content-type"] == entry["contentType"]
    assert response.headers["Content-Disposition"] == query["response-content-disposition"]
    assert response.headers["Content-Disposition"] == keyed.download(entry["key"]).headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_presigned_url_serves_a_range(keyed, stored):
    entry = stored["scan-report.pdf"]
    url = presigned_url(keyed, entry["key"])
    response = fetch(keyed, url, "success", 206, key=entry["key"], headers={"Range": "bytes=65530-65545"})
    assert response.headers["Content-Range"] == f"bytes 65530-65545/{len(PDF)}"
    assert response.content == PDF[65530:65546]


def test_presigned_url_can_be_fetched_more_than_once(keyed, stored):
    entry = stored["values.csv"]
    url = presigned_url(keyed, entry["key"])
    for _ in range(2):
        assert fetch(keyed, url, "success", 200, key=entry["key"]).content == CSV


@pytest.mark.parametrize("expires", [60, 604800])
def test_expires_within_bounds_is_signed_in(keyed, stored, expires):
    entry = stored["values.csv"]
    before = datetime.now(timezone.utc)
    response = presign(keyed, entry["key"], expires=str(expires))
    assert response.status_code == 200, response.text
    assert query_of(response.json()["url"])["X-Amz-Expires"] == str(expires)
    expires_at = datetime.fromisoformat(response.json()["expiresAt"].replace("Z", "+00:00"))
    assert timedelta(seconds=expires - 10) < expires_at - before < timedelta(seconds=expires + 60)
    assert fetch(keyed, response.json()["url"], "success", 200).content == CSV


@pytest.mark.parametrize("expires", ["59", "604801", "0", "-60", "abc", "3600.5"])
def test_expires_out_of_bounds_is_refused(keyed, stored, expires):
    response = presign(keyed, stored["values.csv"]["key"], expires=expires)
    assert_error(response, 400, "invalid_parameter")
    rows = keyed.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["http_status"]) == ("document.presign", "rejected", 400)


def test_presigning_an_unknown_document_is_404(keyed):
    assert_error(presign(keyed, "patients/P-PRESIGN/lab-results/00000000-0000-4000-8000-000000000000-none.pdf"), 404, "not_found")


# --- tampering -------------------------------------------------------------------------------------


def _other_key(url: str, stored) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=OBJECTS_PATH + quote(stored["values.csv"]["key"], safe="/")))


def _flip_signature(url: str, _stored) -> str:
    signature = query_of(url)["X-Amz-Signature"]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    return with_query(url, **{"X-Amz-Signature": flipped})


def _later_date(url: str, _stored) -> str:
    date = datetime.strptime(query_of(url)["X-Amz-Date"], "%Y%m%dT%H%M%SZ") + timedelta(seconds=1)
    if date.strftime("%Y%m%d") != query_of(url)["X-Amz-Date"][:8]:
        date -= timedelta(seconds=2)  # stay within the credential's day
    return with_query(url, **{"X-Amz-Date": date.strftime("%Y%m%dT%H%M%SZ")})


ISSUED_TO = "x-medvault-issued-to"


def _recipient(role: str, user_id: str) -> str:
    """The recipient parameter's value: base64url of `role:userID`, unpadded."""
    return base64.urlsafe_b64encode(f"{role}:{user_id}".encode()).rstrip(b"=").decode()


TAMPERING = {
    "path-to-another-document": _other_key,
    "path-edited": lambda url, _s: url.replace("scan-report.pdf", "scan-report.pdX", 1),
    "signature": _flip_signature,
    "expires-lengthened": lambda url, _s: with_query(url, **{"X-Amz-Expires": "604800"}),
    "date-moved": _later_date,
    "response-content-type": lambda url, _s: with_query(url, **{"response-content-type": "text/html"}),
    "response-content-disposition": lambda url, _s: with_query(url, **{"response-content-disposition": "inline; filename=x.html"}),
    "parameter-added": lambda url, _s: url + "&versionId=1",
    "recipient-edited": lambda url, _s: with_query(url, **{ISSUED_TO: _recipient("admin", "00000000-0000-4000-8000-000000000000")}),
    "recipient-removed": lambda url, _s: url.replace(f"&{ISSUED_TO}={query_of(url)[ISSUED_TO]}", ""),
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_tampered_url_is_refused(keyed, stored, tamper):
    url = presigned_url(keyed, stored["scan-report.pdf"]["key"])
    tampered = tamper(url, stored)
    assert tampered != url
    response = fetch(keyed, tampered, "denied", 403, "signature_mismatch")
    assert_error(response, 403, "signature_mismatch")
    assert PDF[:64] not in response.content and CSV not in response.content
    row = keyed.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["actor_id"], row["actor_role"]) == (None, None), "a refused URL names nobody, least of all a forged recipient"


# --- whom a URL was issued to ------------------------------------------------------------------------


def test_fetch_is_audited_against_the_recipient_and_the_patient(keyed, stored):
    """A URL issued to user X for patient P: its fetch, made without credentials, is audited with actor X (and
    their role then) and patient P, so the per-patient trail shows who read P's document through the URL."""
    email = "presign-provider@e2e.test"
    provider_id = keyed.add_user(email, "provider", password="Presign-Passw0rd-1")
    added = keyed.cli(["careteam", "add", "--provider", email, "--patient", "P-PRESIGN"])
    assert added.returncode == 0, added.stderr
    entry = stored["values.csv"]
    url = presigned_url(keyed, entry["key"], auth=keyed.token_for(email))
    assert query_of(url)[ISSUED_TO] == _recipient("provider", provider_id)
    response = fetch(keyed, url, "success", 200, key=entry["key"])
    assert response.content == CSV
    row = keyed.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["actor_id"], row["actor_role"], row["patient_id"]) == (provider_id, "provider", "P-PRESIGN")
    assert row["document_id"] == entry["id"]

    per_patient = keyed.get("/api/v2/audit", params={"patient": "P-PRESIGN", "action": "document.presigned_fetch", "limit": 1000})
    assert per_patient.status_code == 200, per_patient.text
    assert any(e["requestId"] == response.headers["X-Request-Id"] and e["actorId"] == provider_id for e in per_patient.json()["events"])

    admin_id = keyed.user(keyed.admin_email)["id"]
    by_admin = fetch(keyed, presigned_url(keyed, entry["key"]), "success", 200)
    row = keyed.audit_rows(by_admin.headers["X-Request-Id"])[0]
    assert (row["actor_id"], row["actor_role"], row["patient_id"]) == (admin_id, "admin", "P-PRESIGN")


def test_a_fetch_of_a_missing_document_still_names_recipient_and_patient(keyed):
    entry = keyed.upload_ok([("gone-soon.txt", b"gone soon\n")], category="other", entity_id="P-PRESIGN")[0]
    url = presigned_url(keyed, entry["key"])
    assert keyed.delete_document(entry["key"], permanent=True).status_code == 200
    response = fetch(keyed, url, "rejected", 404, "not_found")
    row = keyed.audit_rows(response.headers["X-Request-Id"])[0]
    assert (row["actor_id"], row["patient_id"]) == (keyed.user(keyed.admin_email)["id"], "P-PRESIGN")


def test_url_for_another_host_is_refused(keyed, stored):
    """`host` is a signed header: the same URL reached under another name does not verify."""
    url = presigned_url(keyed, stored["values.csv"]["key"])
    response = fetch(keyed, url, "denied", 403, "signature_mismatch", headers={"Host": f"localhost:{keyed.port}"})
    assert_error(response, 403, "signature_mismatch")


# --- expiry, with URLs signed by botocore ------------------------------------------------------------


def test_botocore_signs_like_medvault(keyed, stored):
    """The control for the expiry tests: the derived secret and botocore's signing give a URL medvault accepts."""
    entry = stored["scan-report.pdf"]
    url = medvault_signed(keyed, entry["key"], datetime.now(timezone.utc), 60)
    assert fetch(keyed, url, "success", 200, key=entry["key"]).content == PDF


def test_expired_url_is_refused(keyed, stored):
    entry = stored["scan-report.pdf"]
    url = medvault_signed(keyed, entry["key"], datetime.now(timezone.utc) - timedelta(hours=2), 60)
    response = fetch(keyed, url, "denied", 403, "expired")
    assert_error(response, 403, "expired")
    assert PDF[:64] not in response.content


def test_expiry_counts_from_the_signing_date(keyed, stored):
    """Signed two hours ago for two hours and a minute: still valid; for two hours less a minute: expired."""
    entry = stored["values.csv"]
    signed_at = datetime.now(timezone.utc) - timedelta(hours=2)
    assert fetch(keyed, medvault_signed(keyed, entry["key"], signed_at, 7200 + 60), "success", 200).content == CSV
    assert_error(fetch(keyed, medvault_signed(keyed, entry["key"], signed_at, 7200 - 60), "denied", 403, "expired"), 403, "expired")


def test_url_dated_in_the_future_is_refused(keyed, stored):
    """Beyond S3's 15 minutes of clock skew a URL is not valid yet."""
    url = medvault_signed(keyed, stored["values.csv"]["key"], datetime.now(timezone.utc) + timedelta(minutes=30), 3600)
    assert_error(fetch(keyed, url, "denied", 403, "not_yet_valid"), 403, "not_yet_valid")


def test_url_signed_with_another_master_key_is_refused(keyed, stored):
    other = local_signing_secret(base64.b64encode(os.urandom(32)).decode())
    url = medvault_signed(keyed, stored["values.csv"]["key"], datetime.now(timezone.utc), 60, secret=other)
    assert_error(fetch(keyed, url, "denied", 403, "signature_mismatch"), 403, "signature_mismatch")


def test_forged_expired_url_is_a_mismatch_not_expired(keyed, stored):
    """Time is checked on authentic URLs only, so `expired` never describes a forged one."""
    other = local_signing_secret(base64.b64encode(os.urandom(32)).decode())
    signed_at = datetime.now(timezone.utc) - timedelta(hours=2)
    url = medvault_signed(keyed, stored["values.csv"]["key"], signed_at, 60, secret=other)
    assert_error(fetch(keyed, url, "denied", 403, "signature_mismatch"), 403, "signature_mismatch")


# --- the document behind the URL ---------------------------------------------------------------------


def test_url_of_a_deleted_document_is_404(keyed):
    entry = keyed.upload_ok([("short-lived.txt", b"short lived\n")], category="other", entity_id="P-PRESIGN")[0]
    url = presigned_url(keyed, entry["key"])
    assert fetch(keyed, url, "success", 200).content == b"short lived\n"
    assert keyed.delete_document(entry["key"], permanent=True).status_code == 200
    assert_error(fetch(keyed, url, "rejected", 404, "not_found"), 404, "not_found")
