"""Server-rendered pages, without a browser: /storage for administrators, /documents for
patients and providers, the upload widget's markup, and the headers every page with PHI carries.

A quick smoke suite over HTTP (requests with a cookie jar, see `support.Browser`); the selenium suite
drives the same pages in Chromium. Element ids are the pages' stable contract.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid

import pytest

from support import ADMIN_EMAIL, ADMIN_PASSWORD, Browser

PASSWORD = "Pages-Passw0rd-e2e"
CSP_PARTS = ("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")


@pytest.fixture(scope="module")
def world(server) -> dict:
    """Two patients (pa, pb), a provider caring for pa only, and a few documents of each patient."""
    people = {}
    for name, role, patient_id in (("pa", "patient", "pa"), ("pb", "patient", "pb"), ("doc", "provider", None)):
        email = f"{name}@pages.e2e.test"
        people[name] = {"email": email, "id": server.add_user(email, role, patient_id=patient_id, password=PASSWORD)}
    care = server.cli(["careteam", "add", "--provider", people["doc"]["email"], "--patient", "pa"])
    assert care.returncode == 0, care.stderr
    docs = {
        "pa": server.upload_ok([("pa-lab.txt", b"pa lab\n", "text/plain")], category="lab-results", entity_id="pa")
        + server.upload_ok([("pa-invoice.txt", b"pa invoice\n", "text/plain")], category="invoices", entity_id="pa"),
        "pb": server.upload_ok([("pb-secret.txt", b"pb only\n", "text/plain")], category="lab-results", entity_id="pb"),
    }
    return {"people": people, "docs": docs}


def signed_in(server, email: str, password: str = PASSWORD) -> Browser:
    browser = Browser(server)
    browser.signed_in(email, password)
    return browser


def row_keys(page: str) -> list[str]:
    """The `data-key` of every `tr.document-row`."""
    rows = re.findall(r"<tr\b[^>]*\bclass=\"document-row\"[^>]*>", page)
    return [re.search(r'data-key="([^"]*)"', row).group(1) for row in rows]


def assert_page_headers(response) -> None:
    assert "text/html" in response.headers["Content-Type"]
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    for part in CSP_PARTS:
        assert part in csp, csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def assert_no_inline_script(page: str) -> None:
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert re.search(r'\bsrc="/assets/[a-z-]+\.js"', tag), f"inline or foreign script: {tag}"
    for tag in re.findall(r"<[a-zA-Z][^>]*>", page):
        unquoted = re.sub(r'"[^"]*"', '""', tag)
        assert not re.search(r"\son[a-z]+\s*=", unquoted), f"inline event handler: {tag}"


# --- who may open which page ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/storage", "/documents"])
def test_pages_send_anonymous_visitors_to_sign_in(server, path):
    response = Browser(server).get(path)
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"


def test_storage_for_an_administrator(server, world):
    browser = signed_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    response = browser.get("/storage")
    assert response.status_code == 200, response.text[:500]
    assert_page_headers(response)
    page = response.text
    assert_no_inline_script(page)
    for element in (
        "backend-badge", "signed-in-user", "sign-out", "stat-documents", "stat-bytes", "stats-by-category", "stats-by-type",
        "recent-uploads", "filter-form", "category", "q", "apply-filter", "breadcrumbs", "documents-table", "bulk-delete",
        "confirm-delete", "confirm-message", "confirm-soft-delete", "confirm-permanent-delete", "cancel-delete", "document-details",
        "upload-widget", "drop-zone", "file-input", "upload-category", "upload-entity-type", "upload-entity-id", "upload-list",
    ):
        assert f'id="{element}"' in page, f"no #{element}"
    assert '<meta name="csrf-token"' in page
    keys = row_keys(page)
    for doc in world["docs"]["pa"] + world["docs"]["pb"]:
        assert doc["key"] in keys
    for cell in ("name", "category", "type", "size", "uploaded-at", "uploaded-by"):
        assert f'class="{cell}"' in page
    for button in ("download", "details", "delete"):
        assert re.search(rf'<button[^>]*class="{button}\b', page), button
    assert re.search(r'<input[^>]*type="file"[^>]*multiple', page)


def test_storage_is_403_for_others_and_audited(server, world):
    browser = signed_in(server, world["people"]["pa"]["email"])
    response = browser.get("/storage")
    assert response.status_code == 403
    assert_page_headers(response)
    assert "pb-secret.txt" not in response.text and "documents-table" not in response.text
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["http_status"]) == ("document.list", "denied", 403)


def test_administrators_visiting_documents_go_to_storage(server):
    response = signed_in(server, ADMIN_EMAIL, ADMIN_PASSWORD).get("/documents")
    assert response.status_code == 303
    assert response.headers["Location"] == "/storage"


def test_home_sends_each_role_on_to_its_page(server, world):
    admin_home = signed_in(server, ADMIN_EMAIL, ADMIN_PASSWORD).get("/")
    assert admin_home.status_code == 200
    assert '<meta http-equiv="refresh" content="0; url=/storage">' in admin_home.text
    patient_home = signed_in(server, world["people"]["pa"]["email"]).get("/")
    assert '<meta http-equiv="refresh" content="0; url=/documents">' in patient_home.text


# --- what each role sees -------------------------------------------------------------------------------


def test_a_patient_sees_only_their_own_documents(server, world):
    browser = signed_in(server, world["people"]["pa"]["email"])
    response = browser.get("/documents")
    assert response.status_code == 200, response.text[:500]
    assert_page_headers(response)
    own = sorted(doc["key"] for doc in world["docs"]["pa"])
    assert sorted(row_keys(response.text)) == own
    assert "pb-secret.txt" not in response.text
    assert 'id="confirm-permanent-delete"' not in response.text, "no permanent delete for patients"
    assert re.search(r'<input type="hidden" id="upload-entity-id"[^>]*value="pa"', response.text)
    # Query parameters never widen what a patient sees.
    for query in ("?prefix=patients/pb/", "?patient=pb", "?prefix=", "?q=secret"):
        again = browser.get("/documents" + query)
        assert again.status_code == 200
        assert set(row_keys(again.text)) <= set(own), query
        assert "pb-secret.txt" not in again.text, query


def test_a_provider_sees_their_care_team_patient_and_nobody_else(server, world):
    browser = signed_in(server, world["people"]["doc"]["email"])
    response = browser.get("/documents")
    assert response.status_code == 200, response.text[:500]
    assert re.search(r'<select id="patient" name="patient">\s*<option value="pa" selected>', response.text)
    assert sorted(row_keys(response.text)) == sorted(doc["key"] for doc in world["docs"]["pa"])
    refused = browser.get("/documents?patient=pb")
    assert refused.status_code == 403
    assert "pb-secret.txt" not in refused.text
    assert browser.get("/documents?patient=..%2Fpb").status_code == 400


def test_every_page_view_writes_one_document_list_audit_row(server, world):
    browser = signed_in(server, world["people"]["pa"]["email"])
    response = browser.get("/documents")
    rows = server.audit_rows(response.headers["X-Request-Id"])
    assert len(rows) == 1
    assert (rows[0]["action"], rows[0]["outcome"], rows[0]["actor_id"]) == ("document.list", "success", world["people"]["pa"]["id"])


# --- filtering, browsing, paging ---------------------------------------------------------------------------


def test_filter_search_browse_and_page(server, world):
    browser = signed_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    invoices = browser.get("/storage?category=invoices&q=&prefix=")
    assert invoices.status_code == 200, invoices.text[:300]
    assert row_keys(invoices.text) == [world["docs"]["pa"][1]["key"]]
    assert '<option value="invoices" selected>' in invoices.text
    searched = browser.get("/storage?category=&q=PB-SEC")
    assert row_keys(searched.text) == [world["docs"]["pb"][0]["key"]]
    nothing = browser.get("/storage?q=no-such-file-" + uuid.uuid4().hex)
    assert 'id="empty-state"' in nothing.text and "No documents match" in nothing.text

    folders = browser.get("/storage?prefix=patients/")
    assert re.search(r'<a class="folder-link" href="/storage\?prefix=patients/pa/">', folders.text)
    assert re.search(r'<a class="folder-link" href="/storage\?prefix=patients/pb/">', folders.text)
    patient = browser.get("/storage?prefix=patients/pa/")
    assert sorted(row_keys(patient.text)) == sorted(doc["key"] for doc in world["docs"]["pa"])
    assert re.search(r'<a class="folder-link" href="/storage\?prefix=patients/pa/lab-results/">', patient.text)
    assert '<span aria-current="page">pa</span>' in patient.text

    first = browser.get("/storage?prefix=patients/pa/&maxKeys=1")
    next_link = re.search(r'<a id="next-page" href="([^"]+)"', first.text)
    assert next_link, "a truncated page links to the next"
    second = browser.get(next_link.group(1).replace("&amp;", "&"))
    assert row_keys(first.text) + row_keys(second.text) == sorted(doc["key"] for doc in world["docs"]["pa"])
    assert 'id="next-page"' not in second.text


def test_bad_parameters_get_an_html_error_page(server):
    browser = signed_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    for query in ("?category=nonsense", "?prefix=../etc/", "?continuationToken=%%%"):
        response = browser.get("/storage" + query)
        assert response.status_code == 400, query
        assert_page_headers(response)
        assert "<h1>" in response.text


# --- escaping ---------------------------------------------------------------------------------------------------


def test_file_names_are_escaped(server, world):
    uploaded = server.upload_ok([("Tom & Jerry's <notes>.txt", b"cartoon\n", "text/plain")], entity_id="pa")[0]
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>.txt"
    key = f"patients/pa/other/{uuid.uuid4()}-hostile.txt"
    server.execute(  # a row no upload path would produce, straight into the index
        "INSERT INTO documents (id, key, file_name, search_name, size, content_type, category, entity_type, entity_id, sha256,"
        " etag, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, 1, 'text/plain', 'other', 'patient', 'pa', ?, 'etag', ?, NULL)",
        (str(uuid.uuid4()), key, hostile, hostile.lower(), hashlib.sha256(b"x").hexdigest(), int(time.time() * 1000)),
    )
    for browser, path in (
        (signed_in(server, ADMIN_EMAIL, ADMIN_PASSWORD), "/storage?prefix=patients/pa/"),
        (signed_in(server, world["people"]["pa"]["email"]), "/documents"),
    ):
        page = browser.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;.txt" in page
        assert uploaded["fileName"].replace("&", "&amp;").replace("'", "&#39;") in page
        assert_no_inline_script(page)


# --- static assets -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("asset", ["storage.js", "upload.js", "direct-upload.js", "direct-resume.js", "medvault.css"])
def test_assets_are_served_from_the_server(server, asset):
    response = Browser(server).get("/assets/" + asset)
    assert response.status_code == 200
    assert response.content


def test_the_site_icon_is_served_and_linked_from_every_page(server):
    """Browsers ask for /favicon.ico (or the page's icon link) on every page view; a 404 there is a console
    error on each of them."""
    from support import REPO_ROOT

    icon = (REPO_ROOT / "Public" / "assets" / "favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00", "an ICO file"
    for path in ("/favicon.ico", "/assets/favicon.ico"):
        response = Browser(server).get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        assert response.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon"), response.headers
        assert response.content == icon
    browser = Browser(server)
    pages = [browser.get("/login")]
    browser.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    pages += [browser.get(path) for path in ("/", "/storage", "/documents", "/no-such-page")]
    for page in pages:
        if "text/html" in page.headers.get("Content-Type", ""):
            assert '<link rel="icon" href="/assets/favicon.ico"' in page.text, page.url
