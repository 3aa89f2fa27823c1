"""GET /api/v2/aws/s3/list: key order, paging without gaps or duplicates, filters, parameter validation."""

from __future__ import annotations

import pytest

import samples
from support import API, assert_error

FIELDS = {"id", "key", "fileName", "size", "contentType", "category", "entityType", "entityId", "sha256", "uploadedAt", "url"}


@pytest.fixture(scope="module")
def paged(server):
    """25 documents for one patient (the server takes at most 20 files per request: two requests)."""
    names = [f"page-{i:02d}.txt" for i in range(25)]
    files = []
    for batch in (names[:13], names[13:]):
        files += server.upload_ok([(name, f"document {name}\n".encode()) for name in batch], category="other", entity_id="P-PAGE")
    return sorted(f["key"] for f in files)


@pytest.fixture(scope="module")
def mixed(server):
    """Documents for one patient across categories, with names for the search filter."""
    uploads = [
        ("lab-results", [("Blood-Panel-REPORT.pdf", samples.pdf()), ("urine.txt", b"ok\n")]),
        ("imaging", [("chest.png", samples.png()), ("knee-report.png", samples.png(4, 4))]),
        ("invoices", [("invoice-2024.pdf", samples.pdf("invoice"))]),
    ]
    stored = {}
    for category, files in uploads:
        for entry in server.upload_ok(files, category=category, entity_id="P-MIX"):
            stored[entry["fileName"]] = entry
    return stored


def test_paging_with_max_keys_7_has_no_gaps_or_duplicates(server, paged):
    seen: list[str] = []
    pages = []
    token = None
    while True:
        response = server.list(prefix="patients/P-PAGE/", maxKeys=7, continuationToken=token)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(len(page["files"]))
        seen += [f["key"] for f in page["files"]]
        if not page["isTruncated"]:
            assert page.get("nextContinuationToken") in (None, "")
            break
        token = page["nextContinuationToken"]
        assert token
        assert len(pages) < 10, "paging does not terminate"
    assert pages == [7, 7, 7, 4]
    assert seen == paged, "pages must cover every key once, in key order"


def test_list_entries_have_the_upload_fields(server, paged):
    page = server.list(prefix="patients/P-PAGE/", maxKeys=1).json()
    entry = page["files"][0]
    assert FIELDS <= set(entry), FIELDS - set(entry)
    assert entry["key"] == paged[0]
    assert entry["entityId"] == "P-PAGE" and entry["category"] == "other" and entry["contentType"] == "text/plain"


def test_list_is_ordered_by_key(server, paged, mixed):
    keys = [f["key"] for f in server.list_all(prefix="patients/")]
    assert keys == sorted(keys)
    assert set(paged) <= set(keys)


def test_default_max_keys_is_100(server):
    for batch in range(8):  # 104 documents in eight requests of 13
        server.upload_ok([(f"d{batch}-{i:02d}.txt", b"x\n") for i in range(13)], category="other", entity_id="P-HUNDRED")
    page = server.list(prefix="patients/P-HUNDRED/").json()
    assert len(page["files"]) == 100
    assert page["isTruncated"] is True
    rest = server.list(prefix="patients/P-HUNDRED/", continuationToken=page["nextContinuationToken"]).json()
    assert len(rest["files"]) == 4 and rest["isTruncated"] is False
    assert len(server.list(prefix="patients/P-HUNDRED/", maxKeys=1000).json()["files"]) == 104


def test_category_filter(server, mixed):
    files = server.list_all(prefix="patients/P-MIX/", category="imaging")
    assert sorted(f["fileName"] for f in files) == ["chest.png", "knee-report.png"]
    assert {f["category"] for f in files} == {"imaging"}


def test_invalid_category_filter_is_refused(server):
    response = server.list(category="x-rays")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("invalid_category", "invalid_parameter")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("report", ["Blood-Panel-REPORT.pdf", "knee-report.png"]),
        ("BLOOD", ["Blood-Panel-REPORT.pdf"]),
        ("Invoice-20", ["invoice-2024.pdf"]),
        (".png", ["chest.png", "knee-report.png"]),
        ("zzz-nothing", []),
    ],
)
def test_search_is_case_insensitive_file_name_substring(server, mixed, q, expected):
    files = server.list_all(prefix="patients/P-MIX/", q=q)
    assert sorted(f["fileName"] for f in files) == sorted(expected)


@pytest.mark.parametrize("query", ["q=knee%20report", "q=knee+report"], ids=["percent-20", "form-plus"])
def test_search_with_a_space(server, request, query):
    """`q` with a space, sent percent-encoded or form-encoded (`+`, as HTML forms and URLSearchParams do)."""
    patient = "P-SPACE-" + request.node.callspec.id
    server.upload_ok([("knee report.png", samples.png(5, 5)), ("knee.png", samples.png(6, 6))], category="imaging", entity_id=patient)
    response = server.get(f"{API}/list?prefix=patients/{patient}/&{query}")
    assert response.status_code == 200, response.text
    assert [f["fileName"] for f in response.json()["files"]] == ["knee report.png"]


def test_search_treats_like_wildcards_literally(server, mixed):
    assert server.list_all(prefix="patients/P-MIX/", q="%") == []
    assert server.list_all(prefix="patients/P-MIX/", q="_") == []


def test_prefix_narrows_to_a_folder(server, mixed):
    files = server.list_all(prefix="patients/P-MIX/billing/")
    assert [f["fileName"] for f in files] == ["invoice-2024.pdf"]


def test_list_is_audited(server):
    response = server.list(prefix="patients/P-PAGE/", maxKeys=3)
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["http_status"]) == ("document.list", "success", 200)


@pytest.mark.parametrize("value", ["0", "1001", "-1", "abc", "7.5"])
def test_max_keys_out_of_range_is_refused(server, value):
    response = server.list(maxKeys=value)
    assert_error(response, 400, "invalid_parameter")
    assert len(server.audit_rows(response.headers["X-Request-Id"])) == 1


@pytest.mark.parametrize("value", ["1", "1000"])
def test_max_keys_bounds_are_accepted(server, paged, value):
    response = server.list(prefix="patients/P-PAGE/", maxKeys=value)
    assert response.status_code == 200
    assert len(response.json()["files"]) == min(int(value), 25)


@pytest.mark.parametrize("token", ["garbage", "AAAA", "../../etc", "eyJrZXkiOiIuLi8ifQ=="])
def test_bad_continuation_token_is_refused(server, token):
    assert_error(server.list(continuationToken=token), 400, "invalid_continuation_token")


@pytest.mark.parametrize("prefix", ["../", "patients/../", "/patients/", "secrets/", "patients//", "patients/P 1/", "patients\\x"])
def test_bad_prefix_is_refused(server, prefix):
    assert_error(server.list(prefix=prefix), 400, "invalid_prefix")


def test_archived_documents_are_listed_only_under_archived(server):
    files = server.upload_ok([("keep.txt", b"keep\n"), ("drop.txt", b"drop\n")], category="other", entity_id="P-ARCH")
    drop = next(f for f in files if f["fileName"] == "drop.txt")
    deleted = server.delete_document(drop["key"])
    assert deleted.status_code == 200, deleted.text
    archived_key = deleted.json()["archivedKey"]

    active = server.list_all(prefix="patients/P-ARCH/")
    assert [f["fileName"] for f in active] == ["keep.txt"]
    everything = server.list_all(prefix="")
    assert drop["key"] not in {f["key"] for f in everything}
    assert archived_key not in {f["key"] for f in everything}

    archived = server.list_all(prefix="archived/")
    assert archived_key in {f["key"] for f in archived}
    assert all(f["key"].startswith("archived/") for f in archived)
