"""The OpenAPI document against the running server: it is served byte for byte, every path it documents is
routed for its documented method, and `/metrics` (one of those paths) exposes request counts without keys.

The document is read with PyYAML when the test environment has it; otherwise the few facts needed (paths
and their methods) are read from the text, which is cross-checked against the `operationId` count.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest

import samples
from support import API, REPO_ROOT

pytestmark = [pytest.mark.storage_agnostic("the OpenAPI document and the routing table"), pytest.mark.database_agnostic("the OpenAPI document and the routing table")]

DOCUMENT = REPO_ROOT / "Public" / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
NO_SUCH_ENDPOINT = "No such endpoint."
OBJECTS_TEMPLATES = (
    API + "/objects/{root}/{entityId}/{folder}/{objectName}",
    API + "/objects/archived/{root}/{entityId}/{folder}/{objectName}",
    API + "/objects/quarantine/{uploadId}",
)
# A key under the layout for templated paths; no document has it.
SAMPLE_KEY = "patients/P-OPENAPI/other/0f8fad5b-d9cb-469f-a165-70867728950e-probe.txt"
SAMPLE_SEGMENTS = dict(zip(("root", "entityId", "folder", "objectName"), SAMPLE_KEY.split("/"))) | {
    "uploadId": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "entityType": "patient",
}


def documented_operations(text: str) -> list[tuple[str, str]]:
    """(path, method) for every operation under `paths:`, in document order."""
    try:
        import yaml  # noqa: PLC0415 (optional: not in the e2e requirements)
    except ImportError:
        return _scan_operations(text)
    document = yaml.safe_load(text)
    return [(path, method) for path, item in document["paths"].items() for method in HTTP_METHODS if method in item]


def _scan_operations(text: str) -> list[tuple[str, str]]:
    """The same facts from the text: the block of `paths:` (until the next top-level key) holds path keys
    indented by two spaces and method keys indented by four."""
    operations: list[tuple[str, str]] = []
    in_paths = False
    path = None
    method_line = re.compile(rf"^    ({'|'.join(HTTP_METHODS)}):\s*$")
    for line in text.splitlines():
        if re.match(r"^\S", line):
            in_paths = line.rstrip() == "paths:"
            continue
        if not in_paths:
            continue
        if match := re.match(r"^  ('?)(/[^\s']*)\1:\s*$", line):
            path = match.group(2)
        elif (match := method_line.match(line)) and path is not None:
            operations.append((path, match.group(1)))
    return operations


def concrete(path: str) -> str:
    """A request path for a documented path template."""
    return path.format(**{name: quote(value, safe="") for name, value in SAMPLE_SEGMENTS.items()})


def is_no_such_endpoint(response) -> bool:
    if response.status_code != 404:
        return False
    try:
        return response.json()["error"]["message"] == NO_SUCH_ENDPOINT
    except (ValueError, KeyError, TypeError):
        return True  # a 404 without the API's error body cannot come from a routed handler either


@pytest.fixture(scope="module")
def operations() -> list[tuple[str, str]]:
    text = DOCUMENT.read_text(encoding="utf-8")
    found = documented_operations(text)
    assert len(found) == len(re.findall(r"^\s+operationId:", text, flags=re.MULTILINE)), "every operation has an operationId"
    assert len(set(found)) == len(found)
    return found


def test_served_document_is_public_openapi_yaml_byte_for_byte(server):
    response = server.get("/api/v2/openapi.yaml")
    assert response.status_code == 200, response.text[:300]
    assert response.headers.get("X-Request-Id")
    assert response.headers["Content-Type"].startswith("application/yaml")
    assert response.content == DOCUMENT.read_bytes()


def test_the_document_lists_the_operations_the_server_offers(operations):
    for expected in [
        (API + "/upload", "post"),
        (API + "/download", "get"),
        (OBJECTS_TEMPLATES[0], "get"),
        (OBJECTS_TEMPLATES[1], "get"),
        (API + "/list", "get"),
        (API + "/delete", "delete"),
        (API + "/stats", "get"),
        (API + "/config", "get"),
        ("/healthz", "get"),
        ("/metrics", "get"),
        ("/api/v2/openapi.yaml", "get"),
    ]:
        assert expected in operations, f"{expected} is not documented"


def test_every_documented_operation_is_routed(server, operations):
    for path, method in operations:
        response = server.request(method.upper(), concrete(path), timeout=30)
        where = f"{method.upper()} {path} → {response.status_code} {response.text[:200]}"
        if path in OBJECTS_TEMPLATES and server.on_s3:
            # Documented as served only with the local store; with S3 the URLs point at the bucket.
            assert is_no_such_endpoint(response), where
            continue
        assert not is_no_such_endpoint(response), where
        assert response.headers.get("X-Request-Id"), where


def test_unknown_paths_get_404_and_undocumented_methods_405(server, operations):
    """The checks above would notice a missing route: unknown paths answer 404 `No such endpoint.`, and a
    documented path called with a method it does not document answers 405 with `Allow` naming the
    documented ones."""
    response = server.get(API + "/no-such-operation")
    assert is_no_such_endpoint(response), response.text
    assert response.json()["error"]["code"] == "not_found"
    documented: dict[str, set[str]] = {}
    for path, method in operations:
        documented.setdefault(path, set()).add(method.upper())
    for path, methods in documented.items():
        if path in OBJECTS_TEMPLATES and server.on_s3:
            continue
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"} - methods):
            response = server.request(method, concrete(path), timeout=30)
            where = f"{method} {path} → {response.status_code} {response.text[:200]}"
            assert response.status_code == 405, where
            assert response.json()["error"]["code"] == "method_not_allowed", where
            assert set(response.headers["Allow"].split(", ")) == methods, where


def metrics_text(server) -> str:
    response = server.get("/metrics")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/plain"), response.headers
    return response.text


def test_metrics_count_requests_by_route_without_keys(server):
    entry = server.upload_ok([("metrics-probe.csv", samples.CSV)], category="lab-results", entity_id="P-METRICS")[0]
    assert entry["key"].startswith("patients/P-METRICS/")
    assert server.download(key=entry["key"]).status_code == 200
    assert server.list(prefix="patients/P-METRICS/").status_code == 200
    missing = SAMPLE_KEY.replace("P-OPENAPI", "P-METRICS")
    assert server.download(key=missing).status_code == 404
    presigned = server.get(API + "/download", params={"key": entry["key"], "presigned": "true"})
    assert presigned.status_code == 200, presigned.text
    if not server.on_s3:
        assert server.session.get(presigned.json()["url"], timeout=30).status_code == 200

    deadline = time.monotonic() + 3
    while True:
        text = metrics_text(server)
        download_lines = [line for line in text.splitlines() if line.startswith("hb_requests{") and f'"{API}/download"' in line]
        if download_lines or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert "# TYPE hb_requests counter" in text
    assert download_lines, text[:2000]
    samples_of = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in download_lines}
    assert sum(samples_of.values()) >= 3, download_lines  # bytes, the 404 and the pre-signed URL
    assert "patients/" not in text
    assert "P-METRICS" not in text
    assert "metrics-probe" not in text
    assert "X-Amz-" not in text
