"""GET /api/v2/aws/s3/stats: the numbers after a known set of uploads and deletes (fresh server)."""

from __future__ import annotations

import time

import pytest

import samples
from support import CATEGORY_FOLDER

PDF_A, PDF_B = samples.pdf("first"), samples.pdf("second, a bit longer")
PNG, JPEG, CSV, TEXT = samples.png(), samples.jpeg(), samples.CSV, samples.TEXT


@pytest.fixture(scope="module")
def populated(server):
    stored = {}
    for category, name, data in [
        ("medical-records", "report.pdf", PDF_A),
        ("medical-records", "letter.pdf", PDF_B),
        ("imaging", "xray.png", PNG),
        ("imaging", "scan.jpg", JPEG),
        ("lab-results", "results.csv", CSV),
        ("other", "notes.txt", TEXT),
    ]:
        stored[name] = server.upload_ok([(name, data)], category=category, entity_id="P-STATS")[0]
    assert server.delete_document(stored["letter.pdf"]["key"]).status_code == 200  # archived
    assert server.delete_document(stored["notes.txt"]["key"], permanent=True).status_code == 200  # gone
    return stored


def stats(server) -> dict:
    response = server.get("/api/v2/aws/s3/stats")
    assert response.status_code == 200, response.text
    return response.json()


def test_totals_count_active_documents_only(server, populated):
    body = stats(server)
    assert body["totalFiles"] == 4
    assert body["totalBytes"] == len(PDF_A) + len(PNG) + len(JPEG) + len(CSV)
    assert body["archivedFiles"] == 1


def test_by_category(server, populated):
    by_category = stats(server)["byCategory"]
    assert by_category["medical-records"] == {"count": 1, "bytes": len(PDF_A)}
    assert by_category["imaging"] == {"count": 2, "bytes": len(PNG) + len(JPEG)}
    assert by_category["lab-results"] == {"count": 1, "bytes": len(CSV)}
    assert by_category.get("other", {"count": 0, "bytes": 0}) == {"count": 0, "bytes": 0}
    assert set(by_category) <= set(CATEGORY_FOLDER)


def test_by_type(server, populated):
    by_type = {mime: value for mime, value in stats(server)["byType"].items() if value["count"]}
    assert by_type == {
        "application/pdf": {"count": 1, "bytes": len(PDF_A)},
        "image/png": {"count": 1, "bytes": len(PNG)},
        "image/jpeg": {"count": 1, "bytes": len(JPEG)},
        "text/csv": {"count": 1, "bytes": len(CSV)},
    }


def test_recent_uploads_are_the_ten_newest_first(server, populated):
    names = []
    for i in range(11):
        time.sleep(0.005)  # distinct millisecond timestamps
        names.append(server.upload_ok([(f"recent-{i:02d}.txt", f"recent {i}\n".encode())], category="other", entity_id="P-STATS")[0])
    body = stats(server)
    recent = body["recentUploads"]
    assert len(recent) == 10
    assert [f["fileName"] for f in recent] == [f"recent-{i:02d}.txt" for i in range(10, 0, -1)]
    assert recent[0]["key"] == names[-1]["key"]
    assert {"id", "key", "fileName", "size", "contentType", "category", "uploadedAt"} <= set(recent[0])
    assert body["totalFiles"] == 4 + 11


def test_stats_is_audited(server):
    response = server.get("/api/v2/aws/s3/stats")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["http_status"]) == ("storage.stats", "success", 200)
