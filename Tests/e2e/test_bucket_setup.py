"""`medvault bucket setup` and `medvault bucket check`, without a server.

On S3 (a fresh bucket): setup writes CORS, Block Public Access, default encryption, versioning and lifecycle and
prints one line per setting; check then passes; a setting changed behind medvault's back with boto3 makes check
exit 1 naming it, and setup puts it back. On the local store both say there is no bucket and exit 0.
"""

from __future__ import annotations

import pytest

from backends import S3Bucket, bucket_name, is_s3, peer_environment, selected_backend
from suite import run_cli

pytestmark = pytest.mark.s3_semantics("bucket configuration calls")

SETTINGS = ("cors", "public-access-block", "default-encryption", "versioning", "lifecycle")
PUBLIC_URL = "https://clinic.example:8443/app"


@pytest.fixture(scope="module")
def bucket_env(tmp_path_factory):
    """The peer's variables pointing at a bucket of this module's own (setup turns versioning on, which no other
    module's bucket should inherit), plus MEDVAULT_PUBLIC_URL and a 3-day temp/ retention."""
    if not is_s3(selected_backend()):
        yield {"MEDVAULT_PUBLIC_URL": PUBLIC_URL, "MEDVAULT_DATA_DIR": str(tmp_path_factory.mktemp("bucket-data"))}, None
        return
    env = peer_environment(selected_backend())
    bucket = S3Bucket(env, bucket_name("bucket-setup")).create()
    try:
        yield env | {"AWS_S3_DOCUMENTS_BUCKET_NAME": bucket.name, "MEDVAULT_PUBLIC_URL": PUBLIC_URL, "MEDVAULT_TEMP_RETENTION_DAYS": "3"}, bucket
    finally:
        bucket.destroy()


def bucket(*args: str, env: dict[str, str]):
    return run_cli(["bucket", *args], env=env, timeout=120)


def lines_by_setting(output: str, name: str) -> dict[str, str]:
    """`{setting: outcome}` of the lines `<bucket> <setting>: <outcome>`."""
    found = {}
    for line in output.splitlines():
        prefix = f"{name} "
        assert line.startswith(prefix), f"unexpected line {line!r}"
        setting, _, outcome = line[len(prefix) :].partition(": ")
        found[setting] = outcome
    return found


@pytest.mark.local_only("the local store has no bucket")
def test_local_store_has_no_bucket_to_configure(bucket_env):
    env, _ = bucket_env
    for command in ("setup", "check"):
        result = bucket(command, env=env)
        assert result.returncode == 0, result.stderr
        assert "no bucket to configure" in result.stdout


@pytest.mark.s3_only("needs an S3 bucket")
def test_setup_check_and_drift(bucket_env):
    env, s3 = bucket_env
    client = s3.client

    # Without MEDVAULT_PUBLIC_URL there is no origin to allow: refused before anything is written.
    refused = bucket("setup", env=env | {"MEDVAULT_PUBLIC_URL": None})
    assert refused.returncode == 1 and "MEDVAULT_PUBLIC_URL must be set" in refused.stderr, refused.stderr
    assert refused.stdout == ""

    setup = bucket("setup", env=env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    outcomes = lines_by_setting(setup.stdout, s3.name)
    assert tuple(outcomes) == SETTINGS
    assert all(outcome.startswith("applied: ") for outcome in outcomes.values()), outcomes

    # What S3 holds is what medvault meant, read with boto3.
    (rule,) = client.get_bucket_cors(Bucket=s3.name)["CORSRules"]
    assert rule["AllowedOrigins"] == ["https://clinic.example:8443"]
    assert sorted(rule["AllowedMethods"]) == ["GET", "HEAD", "PUT"]
    assert rule["ExposeHeaders"] == ["ETag"]
    assert {"x-amz-server-side-encryption", "x-amz-checksum-sha256"} <= set(rule["AllowedHeaders"])
    block = client.get_public_access_block(Bucket=s3.name)["PublicAccessBlockConfiguration"]
    assert all(block[name] for name in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"))
    default = client.get_bucket_encryption(Bucket=s3.name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert default["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert client.get_bucket_versioning(Bucket=s3.name)["Status"] == "Enabled"
    rules = {rule["ID"]: rule for rule in client.get_bucket_lifecycle_configuration(Bucket=s3.name)["Rules"]}
    assert rules["medvault-temp-expiry"]["Filter"]["Prefix"] == "temp/"
    assert rules["medvault-temp-expiry"]["Expiration"]["Days"] == 3
    assert rules["medvault-abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1

    check = bucket("check", env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert all(outcome.startswith("ok: ") for outcome in lines_by_setting(check.stdout, s3.name).values()), check.stdout

    # Behind medvault's back: temp/ objects kept for 30 days instead of 3.
    client.put_bucket_lifecycle_configuration(
        Bucket=s3.name,
        LifecycleConfiguration={
            "Rules": [
                {"ID": "medvault-temp-expiry", "Filter": {"Prefix": "temp/"}, "Status": "Enabled", "Expiration": {"Days": 30}},
                {
                    "ID": "medvault-abort-incomplete-uploads",
                    "Filter": {"Prefix": ""},
                    "Status": "Enabled",
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                },
            ]
        },
    )
    drifted = bucket("check", env=env)
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    outcomes = lines_by_setting(drifted.stdout, s3.name)
    assert outcomes["lifecycle"].startswith("DRIFT: rule medvault-temp-expiry is temp/: expire after 30 days"), outcomes
    assert [name for name, outcome in outcomes.items() if not outcome.startswith("ok: ")] == ["lifecycle"]

    # CORS removed altogether is drift too; setup puts both back.
    client.delete_bucket_cors(Bucket=s3.name)
    drifted = bucket("check", env=env)
    assert drifted.returncode == 1
    outcomes = lines_by_setting(drifted.stdout, s3.name)
    assert outcomes["cors"] == "DRIFT: no CORS configuration"
    assert bucket("setup", env=env).returncode == 0
    assert bucket("check", env=env).returncode == 0
