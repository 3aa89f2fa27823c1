"""Permanent deletes in a versioned bucket: every version and delete marker goes, an archive keeps them.

The test turns versioning on for its own bucket (PutBucketVersioning through boto3) before medvault erases anything,
since the server asks the bucket once and remembers. Only on the S3 backends: the local store keeps no versions.
"""

from __future__ import annotations

import json

import pytest

import samples
from support import API

pytestmark = [pytest.mark.s3_only("bucket versioning"), pytest.mark.s3_semantics("bucket versioning")]

ENTITY = "vd-p1"


def versions(server, prefix: str) -> list[tuple[str, bool]]:
    """(key, is a delete marker) of every version under `prefix` (one page: the test stores a handful)."""
    page = server.bucket.client.list_object_versions(Bucket=server.bucket.name, Prefix=prefix)
    return sorted([(v["Key"], False) for v in page.get("Versions", [])] + [(m["Key"], True) for m in page.get("DeleteMarkers", [])])


def test_archive_keeps_versions_and_a_permanent_delete_removes_them_all(server):
    client = server.bucket.client
    client.put_bucket_versioning(Bucket=server.bucket.name, VersioningConfiguration={"Status": "Enabled"})
    archived_doc, active_doc = server.upload_ok([("a.pdf", samples.pdf("archived one")), ("b.pdf", samples.pdf("active one"))], entity_id=ENTITY)

    archived = server.delete_document(archived_doc["key"])
    assert archived.status_code == 200, archived.text
    archived_key = archived.json()["archivedKey"]
    # The move copied the object and deleted the source: the source's version stays behind its delete marker.
    assert versions(server, archived_doc["key"]) == [(archived_doc["key"], False), (archived_doc["key"], True)]
    restored = server.post(API + "/restore", data=json.dumps({"id": archived_doc["id"]}), headers={"Content-Type": "application/json"})
    assert restored.status_code == 200, restored.text
    assert server.delete_document(archived_doc["key"]).status_code == 200, "archived again"

    for key in (archived_key, active_doc["key"]):
        response = server.delete_document(key, permanent=True)
        assert response.status_code == 200, response.text

    assert versions(server, f"patients/{ENTITY}/") == []
    assert versions(server, f"archived/patients/{ENTITY}/") == []
    assert server.cli(["audit", "verify"]).returncode == 0
