"""`MEDVAULT_BUCKET_ROUTES` on ministack: verification photos go to a bucket of their own, everything else stays in the
documents bucket. Checked with boto3 in both buckets: API and direct uploads land in the routed bucket, download and
the pre-signed URL read from it, revocation's fresh key stays in it, archive moves within it; reconcile, the
self-check's round trip and `bucket check` cover it. Other backends add nothing here (the local store ignores
routes; moto checks no signatures).
"""

from __future__ import annotations

import hashlib

import pytest
import requests

import samples
from backends import S3Bucket, bucket_name, peer_environment, selected_backend
from suite import API
from support import launch_server

pytestmark = [pytest.mark.skipif(selected_backend() != "ministack", reason="routes are S3 buckets; ministack checks every signature"), pytest.mark.s3_semantics("several buckets")]

PATIENT = "P-ROUTES"


@pytest.fixture(scope="module")
def routed_server(tmp_path_factory):
    """One server whose verification photos go to a bucket this module creates (the suite makes the documents bucket)."""
    routed = S3Bucket(peer_environment("ministack"), bucket_name("routes-verification")).create()
    server = None
    try:
        env = {"MEDVAULT_BUCKET_ROUTES": f"verification-photo={routed.name}", "MEDVAULT_PUBLIC_URL": "https://clinic.example"}
        server = launch_server(tmp_path_factory.mktemp("routes"), "routes", env)
        yield server, routed
    finally:
        if server is not None:
            server.shutdown()
        routed.destroy()


def test_routed_category_lives_in_its_own_bucket(routed_server):
    server, routed = routed_server
    photo = samples.jpeg()
    [verification] = server.upload_ok([("id-card.jpg", photo)], category="verification-photo", entity_id=PATIENT)
    [record] = server.upload_ok([("letter.pdf", samples.pdf("routes"))], category="medical-records", entity_id=PATIENT)

    assert routed.keys() == [verification["key"]]
    assert routed.head(verification["key"])["ServerSideEncryption"] == "AES256"
    # Previews live in the documents bucket whatever their document's route: a derived key names no category.
    derived = sorted(f"derived/{entry['id']}/{variant}" for entry in (verification, record) for variant in ("mobile", "thumbnail"))
    assert server.bucket.keys() == sorted([record["key"], *derived])

    downloaded = server.download(id=verification["id"])
    assert downloaded.status_code == 200 and downloaded.content == photo
    signed = server.get(f"/api/v2/documents/{verification['id']}/signed-url")
    assert signed.status_code == 200, signed.text
    url = signed.json()["url"]
    assert f"/{routed.name}/" in url
    fetched = requests.get(url, timeout=30)
    assert fetched.status_code == 200 and fetched.content == photo

    # Revocation moves the object to a fresh key in the same bucket: the old URL finds nothing.
    revoked = server.post(f"/api/v2/documents/{verification['id']}/revoke")
    assert revoked.status_code == 200, revoked.text
    verification["key"] = revoked.json()["key"]
    assert routed.keys() == [verification["key"]]
    assert requests.get(url, timeout=30).status_code in (403, 404)

    reconciled = server.cli(["reconcile"], timeout=120)
    assert reconciled.returncode == 0, reconciled.stdout + reconciled.stderr

    selftest = server.cli(["selftest"], timeout=180)
    round_trip = [line for line in selftest.stdout.splitlines() if "round trip" in line.lower() or "round-trip" in line.lower()]
    assert round_trip and f"routed bucket {routed.name}" in round_trip[0], selftest.stdout + selftest.stderr

    # Read-only here (setup would turn versioning on in buckets the suite empties afterwards): both buckets are read.
    check = server.cli(["bucket", "check"], timeout=120)
    assert check.returncode == 1 and "DRIFT: no CORS configuration" in check.stdout, check.stdout + check.stderr
    assert {line.split(" ")[0] for line in check.stdout.splitlines()} == {server.bucket.name, routed.name}

    # Archive (the default delete) moves the object within its bucket.
    deleted = server.delete_document(verification["key"])
    assert deleted.status_code == 200, deleted.text
    assert routed.keys() == ["archived/" + verification["key"]]
    assert server.bucket.keys() == sorted([record["key"], *derived]), "archiving leaves the previews where they are"
    assert server.cli(["reconcile"], timeout=120).returncode == 0


def test_direct_upload_of_a_routed_category_is_accepted_into_its_bucket(routed_server):
    server, routed = routed_server
    photo = samples.jpeg()
    created = server.post(
        API + "/uploads",
        json={
            "fileName": "selfie.jpg",
            "size": len(photo),
            "category": "verification-photo",
            "entityType": "patient",
            "entityId": PATIENT,
            "sha256": hashlib.sha256(photo).hexdigest(),
        },
    )
    assert created.status_code == 201, created.text
    [part] = created.json()["parts"]
    assert requests.put(part["url"], data=photo, headers=part["headers"], timeout=30).status_code == 200
    done = server.post(f"{API}/uploads/{created.json()['uploadId']}/complete", json={"parts": []})
    assert done.status_code == 201, done.text
    key = done.json()["key"]
    assert routed.exists(key) and not server.bucket.exists(key)
    assert [k for k in server.bucket.keys() if k.startswith("quarantine/")] == []
    assert server.download(id=done.json()["id"]).content == photo


def test_erasure_reaches_the_routed_bucket(routed_server):
    server, routed = routed_server
    entity = "P-ROUTES-ERASE"
    [photo] = server.upload_ok([("passport.jpg", samples.jpeg())], category="verification-photo", entity_id=entity)
    [letter] = server.upload_ok([("letter.pdf", samples.pdf("erase"))], category="medical-records", entity_id=entity)
    assert photo["key"] in routed.keys() and letter["key"] in server.bucket.keys()

    erased = server.post(f"/api/v2/entities/patient/{entity}/erasure", json={"reason": "patient asked"})
    assert erased.status_code == 200, erased.text
    # The two documents, and the two previews of each.
    assert erased.json()["documents"] == 2 and erased.json()["objectsDeleted"] == 6, erased.json()
    assert not [key for key in routed.keys() if f"/{entity}/" in key], "the routed bucket keeps nothing of the entity"
    assert not [key for key in server.bucket.keys() if f"/{entity}/" in key]
