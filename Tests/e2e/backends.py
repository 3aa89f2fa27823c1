"""Which storage backend the suite runs against, and an S3 client to look into the bucket behind medvault.

`MEDVAULT_E2E_BACKEND` picks it:

- `local` (default): medvault's own encrypted store under the data directory.
- `ministack`, `moto`: the S3 peers of `scripts/s3-peers.sh start`; the variables of `.s3-peers/<name>.env`
  are put into every server's environment, with a fresh bucket per server (created here with boto3 and the
  same credentials, emptied and removed when the server's fixture ends).

boto3 is only the tests' way of checking what medvault did to the bucket (object there or gone, SSE,
multipart ETag, incomplete uploads); medvault itself signs with its own SigV4 code.
"""

from __future__ import annotations

import datetime as _dt
import os
import shlex
import time
import uuid
from pathlib import Path
from unittest import mock

REPO_ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("local", "ministack", "moto")
PEERS_DIR = REPO_ROOT / ".s3-peers"


def selected_backend() -> str:
    """`MEDVAULT_E2E_BACKEND`, checked; `local` when unset or empty."""
    name = (os.environ.get("MEDVAULT_E2E_BACKEND") or "local").strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"MEDVAULT_E2E_BACKEND must be one of {', '.join(BACKENDS)} (got {name!r})")
    return name


def is_s3(backend: str) -> bool:
    return backend != "local"


def peer_env_file(backend: str) -> Path:
    return PEERS_DIR / f"{backend}.env"


def read_env_file(path: Path) -> dict[str, str]:
    """The `export NAME=VALUE` lines of an env file written by scripts/s3-peers.sh (comments skipped)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        if words and words[0] == "export":
            words = words[1:]
        for word in words:
            name, sep, value = word.partition("=")
            if sep:
                values[name] = value
    return values


def peer_environment(backend: str) -> dict[str, str]:
    """The S3 variables for `backend` (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
    AWS_S3_DOCUMENTS_BUCKET_NAME, AWS_ENDPOINT_URL_S3); raises with a hint when the peer is not started."""
    path = peer_env_file(backend)
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: start the S3 peers first (scripts/s3-peers.sh start)")
    env = read_env_file(path)
    missing = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_DOCUMENTS_BUCKET_NAME", "AWS_ENDPOINT_URL_S3"} - set(env)
    if missing:
        raise ValueError(f"{path} lacks {', '.join(sorted(missing))}")
    return env


def bucket_name(label: str) -> str:
    """A fresh, valid bucket name (3-63 chars of [a-z0-9-]) that says which test made it."""
    slug = "".join(c if c.isalnum() else "-" for c in label.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:36].strip("-") or "server"
    return f"e2e-{slug}-{uuid.uuid4().hex[:12]}"


class S3Bucket:
    """One bucket on an S3 peer, seen through boto3 (path-style, the peer's credentials)."""

    def __init__(self, env: dict[str, str], name: str):
        import boto3
        from botocore.config import Config

        self.env = env
        self.name = name
        self.endpoint = env["AWS_ENDPOINT_URL_S3"]
        self.region = env.get("AWS_REGION", "us-east-1")
        session = boto3.session.Session(
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            region_name=self.region,
        )
        self.client = session.client(
            "s3",
            endpoint_url=self.endpoint,
            config=Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
                proxies={},
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        )

    # -- life cycle ---------------------------------------------------------------------------------

    def create(self) -> "S3Bucket":
        self.client.create_bucket(Bucket=self.name)
        return self

    def destroy(self) -> None:
        """Aborts incomplete uploads, deletes every object and the bucket; errors are ignored (best effort)."""
        try:
            for upload in self.pending_uploads():
                self.client.abort_multipart_upload(Bucket=self.name, Key=upload["Key"], UploadId=upload["UploadId"])
            keys = self.keys()
            for start in range(0, len(keys), 1000):
                batch = [{"Key": key} for key in keys[start : start + 1000]]
                self.client.delete_objects(Bucket=self.name, Delete={"Objects": batch, "Quiet": True})
            self.client.delete_bucket(Bucket=self.name)
        except Exception:  # noqa: BLE001 - clean-up must not hide the test's own result
            pass

    # -- looking ------------------------------------------------------------------------------------

    def keys(self, prefix: str = "") -> list[str]:
        """Every key under `prefix` (ListObjectsV2, all pages), sorted."""
        found: list[str] = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix):
            found += [entry["Key"] for entry in page.get("Contents", [])]
        return sorted(found)

    def head(self, key: str) -> dict | None:
        """HeadObject's answer, or None for a missing object."""
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.name, Key=key)
        except ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                return None
            raise

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def get(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def pending_uploads(self) -> list[dict]:
        """Incomplete multipart uploads in the bucket (ListMultipartUploads, first page)."""
        return list(self.client.list_multipart_uploads(Bucket=self.name).get("Uploads", []))

    def wait_no_pending_uploads(self, timeout: float = 10.0) -> list[dict]:
        """Waits (an abort may follow the response) until no incomplete upload is left; returns what is left."""
        deadline = time.monotonic() + timeout
        while True:
            pending = self.pending_uploads()
            if not pending or time.monotonic() > deadline:
                return pending
            time.sleep(0.1)


def presign_get(
    url: str,
    access_key_id: str,
    secret: str,
    region: str,
    expires: int,
    signed_at: _dt.datetime,
    params: dict[str, str] | None = None,
) -> str:
    """A SigV4 pre-signed GET URL for `url` (already percent-encoded), signed by botocore as of `signed_at`.

    botocore is an independent SigV4 implementation; freezing its clock lets a test sign a URL that was
    issued in the past (expired) or the future, which medvault never hands out itself.
    """
    from botocore.auth import S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="GET", url=url, params=dict(params or {}))
    signer = S3SigV4QueryAuth(Credentials(access_key_id, secret), "s3", region, expires=expires)
    frozen = signed_at.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    with mock.patch("botocore.auth.get_current_datetime", return_value=frozen):
        signer.add_auth(request)
    return request.prepare().url
