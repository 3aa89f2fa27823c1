#!/usr/bin/env python3
"""Prepare the local S3 peers started by scripts/s3-peers.sh.

Run with the ministack virtualenv's python (.venv-ministack/bin/python), which has
boto3==1.43.106 next to ministack. Subcommands:

  wait       --url URL --pid PID --timeout S     wait until a server answers HTTP (stdlib only)
  ministack  --endpoint URL --env-file PATH [--full]
             as the root key: IAM user + s3:* policy + access key, bucket medvault-test;
             then checks, signed as that user: Put/Get work, a wrong secret is refused (403),
             a pre-signed GET works with plain urllib, a tampered one is refused and
             (with --full) an expired one is refused. Writes the env file.
  moto       --endpoint URL --env-file PATH      bucket medvault-test, Put/Get check, env file.
  probe      --env-file PATH                     re-check the findings noted in s3-peers.sh.

Exit status 0 on success; any failed check prints "s3-peers: FAILED: ..." and exits 1.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import shlex
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

BUCKET = "medvault-test"
REGION = "us-east-1"
# ministack treats "test" (and the AWS_ACCESS_KEY_ID it was started with) as the account root:
# its header signatures are NOT checked (ministack/core/iam_evaluator.py: is_root_access_key).
ROOT_KEY, ROOT_SECRET = "test", "test"
IAM_USER = "medvault-test"
POLICY_NAME = "medvault-s3-all"
POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}
# moto checks no signature by default; any key works.
MOTO_KEY, MOTO_SECRET = "medvault-moto", "medvault-moto-secret"
CHECK_KEY = "_s3-peers-check/probe.txt"


class CheckFailed(Exception):
    """A verification step did not give the expected answer."""


def fail_unless(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --------------------------------------------------------------------------- stdlib helpers


def http(method: str, url: str, headers: dict | None = None, body: bytes | None = None, timeout: float = 10):
    """One request with urllib; returns (status, headers, body) for any HTTP answer."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def process_alive(pid: int) -> bool:
    """True while pid runs; an exited child its shell has not reaped yet (zombie) counts as gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def cmd_wait(args) -> int:
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if not process_alive(args.pid):
            print(f"s3-peers: process {args.pid} exited before answering {args.url}", file=sys.stderr)
            return 1
        try:
            status, _, _ = http("GET", args.url, timeout=2)
            if status < 500:
                return 0
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    print(f"s3-peers: {args.url} did not answer within {args.timeout:.0f} s", file=sys.stderr)
    return 1


def read_env_file(path: str) -> dict[str, str]:
    values: dict[str, str] = {}
    if not os.path.exists(path):
        return values
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith("export ") and "=" in line:
                name, _, value = line[len("export ") :].partition("=")
                parts = shlex.split(value)
                values[name] = parts[0] if parts else ""
    return values


def write_env_file(path: str, title: str, key: str, secret: str, endpoint: str) -> None:
    lines = [
        f"# {title}",
        "# Written by scripts/s3-peers.sh start; removed by scripts/s3-peers.sh stop. Source it.",
        f"export AWS_ACCESS_KEY_ID={shlex.quote(key)}",
        f"export AWS_SECRET_ACCESS_KEY={shlex.quote(secret)}",
        f"export AWS_REGION={REGION}",
        f"export AWS_S3_DOCUMENTS_BUCKET_NAME={BUCKET}",
        f"export AWS_ENDPOINT_URL_S3={shlex.quote(endpoint)}",
    ]
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


# --------------------------------------------------------------------------- boto3 helpers


def client(service: str, endpoint: str, key: str, secret: str):
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(
            signature_version="s3v4" if service == "s3" else None,
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
            connect_timeout=5,
            read_timeout=30,
        ),
    )


def error_of(call):
    """Run call; return (http status, error code) of the ClientError it raises, or None."""
    from botocore.exceptions import ClientError

    try:
        call()
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"].get("Code")
    return None


def ensure_bucket(s3) -> None:
    if error_of(lambda: s3.head_bucket(Bucket=BUCKET)) is not None:
        s3.create_bucket(Bucket=BUCKET)
    s3.head_bucket(Bucket=BUCKET)


def put_get_roundtrip(s3, label: str) -> None:
    body = f"s3-peers check {time.time_ns()}".encode()
    s3.put_object(Bucket=BUCKET, Key=CHECK_KEY, Body=body)
    got = s3.get_object(Bucket=BUCKET, Key=CHECK_KEY)["Body"].read()
    fail_unless(got == body, f"{label}: GetObject returned other bytes than PutObject stored")


# --------------------------------------------------------------------------- ministack


def ensure_iam_user_key(endpoint: str, env_file: str) -> tuple[str, str]:
    """The IAM user's access key: reused from env_file while the server still knows it."""
    iam = client("iam", endpoint, ROOT_KEY, ROOT_SECRET)
    if error_of(lambda: iam.get_user(UserName=IAM_USER)) is not None:
        iam.create_user(UserName=IAM_USER)
    iam.put_user_policy(UserName=IAM_USER, PolicyName=POLICY_NAME, PolicyDocument=json.dumps(POLICY))
    known = {k["AccessKeyId"] for k in iam.list_access_keys(UserName=IAM_USER)["AccessKeyMetadata"]}
    previous = read_env_file(env_file)
    key, secret = previous.get("AWS_ACCESS_KEY_ID", ""), previous.get("AWS_SECRET_ACCESS_KEY", "")
    if key in known and secret:
        return key, secret
    for stale in known:
        iam.delete_access_key(UserName=IAM_USER, AccessKeyId=stale)
    created = iam.create_access_key(UserName=IAM_USER)["AccessKey"]
    return created["AccessKeyId"], created["SecretAccessKey"]


def check_ministack(endpoint: str, key: str, secret: str, full: bool) -> list[str]:
    done = []
    s3 = client("s3", endpoint, key, secret)
    put_get_roundtrip(s3, "ministack (IAM user)")
    done.append("Put/Get as IAM user")

    wrong = client("s3", endpoint, key, secret + "x")
    for name, call in (
        ("GetObject", lambda: wrong.get_object(Bucket=BUCKET, Key=CHECK_KEY)),
        ("PutObject", lambda: wrong.put_object(Bucket=BUCKET, Key=CHECK_KEY, Body=b"forged")),
    ):
        refused = error_of(call)
        fail_unless(
            refused is not None and refused[0] == 403,
            f"ministack accepted a {name} signed with a wrong secret (got {refused}); signatures are not checked",
        )
    done.append("wrong secret refused 403")

    url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": CHECK_KEY}, ExpiresIn=300)
    status, _, body = http("GET", url)
    fail_unless(status == 200 and body.startswith(b"s3-peers check"), f"pre-signed GET answered {status}")
    signature_at = url.index("X-Amz-Signature=") + len("X-Amz-Signature=")
    flipped = "1" if url[signature_at] == "0" else "0"
    tampered = url[:signature_at] + flipped + url[signature_at + 1 :]
    status, _, _ = http("GET", tampered)
    fail_unless(status == 403, f"tampered pre-signed signature answered {status}, not 403")
    status, _, _ = http("GET", url.replace("X-Amz-Expires=300", "X-Amz-Expires=301"))
    fail_unless(status == 403, f"pre-signed URL with a changed X-Amz-Expires answered {status}, not 403")
    done.append("pre-signed GET ok, tampered 403")
    if full:
        expiring = s3.generate_presigned_url(
            "get_object", Params={"Bucket": BUCKET, "Key": CHECK_KEY}, ExpiresIn=1
        )
        time.sleep(2)
        status, _, body = http("GET", expiring)
        fail_unless(status == 403, f"expired pre-signed URL answered {status}, not 403")
        done.append("expired 403" + (" (Request has expired)" if b"expired" in body else ""))
    s3.delete_object(Bucket=BUCKET, Key=CHECK_KEY)
    return done


def cmd_ministack(args) -> int:
    root_s3 = client("s3", args.endpoint, ROOT_KEY, ROOT_SECRET)
    key, secret = ensure_iam_user_key(args.endpoint, args.env_file)
    ensure_bucket(root_s3)
    done = check_ministack(args.endpoint, key, secret, args.full)
    write_env_file(
        args.env_file,
        f"ministack 1.5.33 (AUTH=true, strict SigV4) as IAM user {IAM_USER} on {args.endpoint}",
        key,
        secret,
        args.endpoint,
    )
    print(f"s3-peers: ministack checks passed: {', '.join(done)}")
    return 0


# --------------------------------------------------------------------------- moto


def cmd_moto(args) -> int:
    s3 = client("s3", args.endpoint, MOTO_KEY, MOTO_SECRET)
    ensure_bucket(s3)
    put_get_roundtrip(s3, "moto")
    s3.delete_object(Bucket=BUCKET, Key=CHECK_KEY)
    write_env_file(
        args.env_file, f"moto_server (no signature checks) on {args.endpoint}", MOTO_KEY, MOTO_SECRET, args.endpoint
    )
    print("s3-peers: moto checks passed: bucket, Put/Get")
    return 0


# --------------------------------------------------------------------------- probe (findings)


def sigv4_headers(endpoint, key, secret, method, path, payload_hash, extra=None, amz_date=None, signed_extra=True):
    """Header-signed SigV4 written out by hand, so the probe controls every byte."""
    host = urllib.parse.urlsplit(endpoint).netloc
    stamp = amz_date or datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    headers = {"host": host, "x-amz-date": stamp, "x-amz-content-sha256": payload_hash}
    unsigned = {}
    for name, value in (extra or {}).items():
        (headers if signed_extra else unsigned)[name.lower()] = value
    names = sorted(headers)
    canonical = "\n".join(
        [
            method,
            urllib.parse.quote(path, safe="/-_.~"),
            "",
            "".join(f"{n}:{headers[n].strip()}\n" for n in names),
            ";".join(names),
            payload_hash,
        ]
    )
    scope = f"{stamp[:8]}/{REGION}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signing_key = ("AWS4" + secret).encode()
    for part in (stamp[:8], REGION, "s3", "aws4_request"):
        signing_key = hmac.new(signing_key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    del headers["host"]
    headers.update(unsigned)
    return headers


def cmd_probe(args) -> int:
    env = read_env_file(args.env_file)
    endpoint, key, secret = env["AWS_ENDPOINT_URL_S3"], env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    s3 = client("s3", endpoint, key, secret)
    prefix = "_s3-peers-probe/"

    def sse(headers):
        return {k.lower(): v for k, v in headers.items() if "server-side-encryption" in k.lower()}

    def meta(response):
        return sse(response["ResponseMetadata"]["HTTPHeaders"])

    def raw(method, name, payload_hash, body=None, **kw):
        path = f"/{BUCKET}/{prefix}{name}"
        headers = sigv4_headers(endpoint, key, secret, method, path, payload_hash, **kw)
        return http(method, endpoint + urllib.parse.quote(path, safe="/-_.~"), headers, body)

    print("SSE echo:")
    s3.put_object(Bucket=BUCKET, Key=prefix + "plain", Body=b"x")
    print("  no SSE requested  HEAD ->", meta(s3.head_object(Bucket=BUCKET, Key=prefix + "plain")))
    put = s3.put_object(Bucket=BUCKET, Key=prefix + "aes", Body=b"x", ServerSideEncryption="AES256")
    print("  AES256      PUT ->", meta(put), " HEAD ->", meta(s3.head_object(Bucket=BUCKET, Key=prefix + "aes")))
    kms = dict(ServerSideEncryption="aws:kms", SSEKMSKeyId="alias/medvault")
    put = s3.put_object(Bucket=BUCKET, Key=prefix + "kms", Body=b"x", **kms)
    print("  aws:kms+key PUT ->", meta(put), " HEAD ->", meta(s3.head_object(Bucket=BUCKET, Key=prefix + "kms")))
    print("  aws:kms without key id ->", error_of(
        lambda: s3.put_object(Bucket=BUCKET, Key=prefix + "kms2", Body=b"x", ServerSideEncryption="aws:kms")))
    print("  bogus algorithm ->", error_of(
        lambda: s3.put_object(Bucket=BUCKET, Key=prefix + "bogus", Body=b"x", ServerSideEncryption="bogus")))

    print("Multipart + SSE:")
    for label, extra, first_size in (("AES256", {"ServerSideEncryption": "AES256"}, 5 * 1024 * 1024), ("kms", kms, 10)):
        name = prefix + "mp-" + label
        created = s3.create_multipart_upload(Bucket=BUCKET, Key=name, **extra)
        upload = created["UploadId"]
        p1 = s3.upload_part(Bucket=BUCKET, Key=name, UploadId=upload, PartNumber=1, Body=b"a" * first_size)
        p2 = s3.upload_part(Bucket=BUCKET, Key=name, UploadId=upload, PartNumber=2, Body=b"b" * 10)
        parts = [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["ETag"]}]
        done = s3.complete_multipart_upload(Bucket=BUCKET, Key=name, UploadId=upload, MultipartUpload={"Parts": parts})
        head = s3.head_object(Bucket=BUCKET, Key=name)
        print(f"  {label}: create ->", meta(created), "part ->", meta(p1), "complete ->", meta(done),
              "HEAD ->", meta(head), f"size {head['ContentLength']} (first part {first_size} B)", done["ETag"])

    print("Raw header-signed PUT:")
    body = b"probe body"
    status, headers, text = raw("PUT", "unsigned", "UNSIGNED-PAYLOAD", body)
    echoed = s3.get_object(Bucket=BUCKET, Key=prefix + "unsigned")["Body"].read() == body
    print(f"  UNSIGNED-PAYLOAD -> {status}, stored bytes intact: {echoed}")
    status, headers, text = raw("PUT", "sha", hashlib.sha256(body).hexdigest(), body)
    print(f"  real sha256 -> {status}")
    status, headers, text = raw("PUT", "mismatch", hashlib.sha256(b"other").hexdigest(), body)
    print(f"  x-amz-content-sha256 not matching the body -> {status} {text[:80]!r}")
    status, headers, text = raw("PUT", "sse", "UNSIGNED-PAYLOAD", body, extra={"x-amz-server-side-encryption": "AES256"})
    print(f"  UNSIGNED-PAYLOAD + signed SSE header -> {status} {sse(headers)}")
    status, headers, text = raw(
        "PUT", "sse2", "UNSIGNED-PAYLOAD", body, extra={"x-amz-server-side-encryption": "AES256"}, signed_extra=False)
    print(f"  SSE header sent but not in SignedHeaders -> {status}")
    status, headers, _ = raw("HEAD", "sse", hashlib.sha256(b"").hexdigest())
    print(f"  raw HEAD -> {status} {sse(headers)}")
    status, _, text = raw("GET", "sse", hashlib.sha256(b"").hexdigest(), extra={"range": "bytes=0-3"})
    print(f"  Range bytes=0-3 -> {status} {text!r}")
    status, _, _ = raw("GET", "sse", hashlib.sha256(b"").hexdigest(), extra={"range": "bytes=100-200"})
    print(f"  Range past end -> {status}")
    old = (datetime.now(timezone.utc) - timedelta(minutes=20)).strftime("%Y%m%dT%H%M%SZ")
    status, _, text = raw("GET", "sse", hashlib.sha256(b"").hexdigest(), amz_date=old)
    print(f"  x-amz-date 20 min old -> {status} {text[39:100]!r}")
    odd = "dir/a b+c=ü.pdf"
    status, _, _ = raw("PUT", odd, "UNSIGNED-PAYLOAD", body)
    same = s3.get_object(Bucket=BUCKET, Key=prefix + odd)["Body"].read() == body
    print(f"  key with space, +, =, ü (RFC 3986 encoded) -> {status}, boto3 reads it back: {same}")

    print("Pre-signed:")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": prefix + "sse"}, ExpiresIn=604801)
    status, _, text = http("GET", url)
    print(f"  X-Amz-Expires=604801 -> {status} {text[39:110]!r}")

    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    for item in listing.get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    return 0


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    wait = sub.add_parser("wait")
    wait.add_argument("--url", required=True)
    wait.add_argument("--pid", type=int, required=True)
    wait.add_argument("--timeout", type=float, default=60)
    for name in ("ministack", "moto"):
        peer = sub.add_parser(name)
        peer.add_argument("--endpoint", required=True)
        peer.add_argument("--env-file", required=True)
        peer.add_argument("--full", action="store_true", help="also the slow checks (expired pre-signed URL)")
    probe = sub.add_parser("probe")
    probe.add_argument("--env-file", required=True)
    args = parser.parse_args()
    handler = {"wait": cmd_wait, "ministack": cmd_ministack, "moto": cmd_moto, "probe": cmd_probe}[args.command]
    try:
        return handler(args)
    except CheckFailed as failure:
        print(f"s3-peers: FAILED: {failure}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any boto3/network error is a failed setup
        print(f"s3-peers: FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
