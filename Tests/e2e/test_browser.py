"""The pages in a real browser: headless Chromium (selenium 4 + chromium-driver) on /login, /storage,
/documents and /test/s3, on the selected storage backend.

Everything goes through the pages as a person would use them: the sign-in form, drag-and-drop with real
DragEvents carrying File objects, the file picker, the filter form, the row buttons and dialogs, the
keyboard. The server's API and database are only read afterwards, to check what the page did.

Each step leaves a screenshot under artifacts/screenshots/<backend>/ (git-ignored). Tests are independent
of each other's order: one server and one browser for the module, unique names and entity ids per test,
cookies cleared before each test. Waits are explicit; the only fixed wait is the idle-timeout one.
"""

from __future__ import annotations

import hashlib
import re
import time
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.keys import Keys

import samples
from backends import peer_environment
from browser import PHONE, Page, start_chromium
from support import ADMIN_EMAIL, ADMIN_PASSWORD, CATEGORY_FOLDER, SELFTEST_CHECKS, expected_selftest_failures

pytestmark = pytest.mark.database_agnostic("what the pages do in a browser; the calls behind them are the API's, run on both engines")

PASSWORD = "Browser-Passw0rd-e2e"
IDLE_TIMEOUT = 3  # seconds, for the idle-logoff server (the smallest value medvault accepts is 1)


def unique() -> str:
    return uuid.uuid4().hex[:8]


# --- fixtures -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chrome(tmp_path_factory):
    """One headless Chromium for the module, saving downloads into its own directory."""
    downloads = tmp_path_factory.mktemp("chromium") / "downloads"
    downloads.mkdir()
    driver = start_chromium(downloads)
    yield driver, downloads
    driver.quit()


@pytest.fixture
def page(chrome, server, backend) -> Page:
    """The browser on the module's server, signed out, on a blank desktop-size page."""
    driver, downloads = chrome
    browser = Page(driver, server, backend, downloads)
    browser.reset()
    return browser


@pytest.fixture
def page_on(chrome, backend):
    """The browser pointed at another server (one a test started itself)."""
    driver, downloads = chrome

    def make(other) -> Page:
        browser = Page(driver, other, backend, downloads)
        browser.reset()
        return browser

    return make


@pytest.fixture(scope="module")
def people(server) -> dict:
    """Patients A, B and C, and a provider caring for A and C (not B), each with one document."""
    run = unique()
    patients = {name: f"BRW{name}-{run}" for name in ("A", "B", "C")}
    people = {}
    for name, patient_id in patients.items():
        email = f"patient-{name.lower()}-{run}@browser.e2e.test"
        server.add_user(email, "patient", patient_id=patient_id, password=PASSWORD)
        people[name] = {"email": email, "patient": patient_id}
    provider = f"provider-{run}@browser.e2e.test"
    server.add_user(provider, "provider", provider_id=f"DR-{run}", password=PASSWORD)
    for name in ("A", "C"):
        added = server.cli(["careteam", "add", "--provider", provider, "--patient", patients[name]])
        assert added.returncode == 0, added.stderr
    people["provider"] = {"email": provider}
    for name, patient_id in patients.items():
        file_name = f"own-{name.lower()}-{run}.txt"
        server.upload_ok([(file_name, f"patient {name} only\n".encode(), "text/plain")], category="lab-results", entity_id=patient_id)
        people[name]["file"] = file_name
    return people


def upload_for(server, entity_id: str, files: list[tuple[str, bytes]], category: str = "medical-records") -> list[dict]:
    return server.upload_ok([(name, data, "application/octet-stream") for name, data in files], category=category, entity_id=entity_id)


# --- signing in -------------------------------------------------------------------------------------------


def test_sign_in_through_the_form_lands_on_storage(page, server, backend):
    page.open("/login")
    page.screenshot("login")
    assert page.find("#email").accessible_name == "E-mail"
    assert page.find("#password").accessible_name == "Password"

    page.sign_in(ADMIN_EMAIL, "not-the-password", lands_on="/login")
    assert "Sign-in failed" in page.text('p.error[role="alert"]')
    page.screenshot("login-failed")

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    assert page.text("h1") == "Storage"
    admin = server.user(ADMIN_EMAIL)
    assert page.text("#signed-in-user") == f"{admin.get('displayName') or ADMIN_EMAIL} (admin)"
    badge = page.text("#backend-badge")
    if backend == "local":
        assert badge == "local store"
    else:
        endpoint = urlparse(peer_environment(backend)["AWS_ENDPOINT_URL_S3"])
        assert badge.startswith("S3 · "), badge
        assert endpoint.hostname in badge and server.bucket.name in badge, badge
    assert page.find("#storage-stats").is_displayed()
    assert page.find("#upload-widget").is_displayed()
    page.screenshot("storage-signed-in")

    page.click_to_load("#sign-out")
    page.wait_path("/login")
    assert "signed out" in page.text('p.notice[role="status"]')
    page.open("/storage")
    page.wait_path("/login")


def test_fresh_server_shows_empty_states(start_server, page_on):
    fresh = start_server(name="browser-empty")
    fresh.add_user("empty-patient@browser.e2e.test", "patient", patient_id="EMPTY1", password=PASSWORD)
    browser = page_on(fresh)

    browser.sign_in(fresh.admin_email, ADMIN_PASSWORD, lands_on="/storage")
    empty = browser.text("#document-listing #empty-state")
    assert "No documents here yet." in empty and "Drop files on the upload area" in empty, empty
    assert browser.find_all("tr.document-row") == []
    assert browser.find_all("#bulk-delete") == []
    assert browser.text("#stat-documents") == "0"
    assert "Nothing uploaded yet." in browser.text("#storage-stats")
    assert "No documents yet." in browser.text("#storage-stats")
    browser.screenshot("storage-empty")

    browser.reset()
    browser.sign_in("empty-patient@browser.e2e.test", PASSWORD, lands_on="/documents")
    assert "No documents here yet." in browser.text("#empty-state")
    browser.screenshot("documents-empty")


# --- uploading --------------------------------------------------------------------------------------------


def test_upload_by_drag_and_drop_and_file_picker(page, server, tmp_path):
    run = unique()
    entity = f"UP-{run}"
    dropped = [
        (f"drop-notes-{run}.txt", samples.TEXT + run.encode(), "text/plain"),
        (f"drop-results-{run}.csv", samples.CSV, "text/csv"),
        (f"drop-report-{run}.pdf", samples.pdf(f"report {run}"), "application/pdf"),
    ]
    picked = tmp_path / f"picked-scan-{run}.png"
    picked.write_bytes(samples.png(3, 3))
    sent = {name: data for name, data, _ in dropped} | {picked.name: picked.read_bytes()}

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.choose("#upload-category", "lab-results")
    page.choose("#upload-entity-type", "patient")
    page.fill("#upload-entity-id", entity)
    page.mark_page()

    drag = page.drop_files(dropped)
    assert drag == {
        "enterPrevented": True,
        "overPrevented": True,
        "dropPrevented": True,
        "draggingShown": True,
        "draggingAfterDrop": False,
        "count": 3,
    }, drag
    page.find("#file-input").send_keys(str(picked))

    for name in sent:
        item = page.wait_upload(name, "done")
        assert (item["progress"], item["max"]) == (100, 100), item
        assert item["status"] == "Uploaded", item
    page.wait_rows(lambda names: set(sent) <= set(names), "the uploaded files never appeared in the table")
    page.assert_same_page()
    page.screenshot("storage-after-upload")

    for name in sent:
        row = page.row(name)
        assert row.find_element("css selector", "td.category").text == "lab-results"
        assert row.get_attribute("data-entity-id") == entity
    recent = page.text("#recent-uploads")
    assert all(name in recent for name in sent), recent

    stored = {entry["fileName"]: entry for entry in server.list_all(prefix=f"patients/{entity}/")}
    assert set(stored) == set(sent)
    for name, data in sent.items():
        assert stored[name]["category"] == "lab-results"
        assert stored[name]["key"].startswith(f"patients/{entity}/lab-results/")
        assert stored[name]["sha256"] == hashlib.sha256(data).hexdigest(), name


def test_rejected_files_show_the_reason_and_can_be_retried(page, server):
    run = unique()
    entity = f"REJ-{run}"
    disguised = (f"disguised-{run}.pdf", samples.png(), "application/pdf")  # PNG content behind a .pdf name
    program = (f"program-{run}.exe", samples.elf(), "application/octet-stream")
    later = (f"needs-entity-{run}.txt", b"sent once the entity id is filled in\n", "text/plain")
    expected = server.upload([disguised[:2]], entity_id=f"REJ-API-{run}")
    assert expected.status_code == 415, expected.text
    server_message = expected.json()["error"]["message"]

    def rejected_uploads() -> int:
        return server.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'document.upload' AND http_status = 415")[0]["n"]

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.choose("#upload-category", "other")
    page.fill("#upload-entity-id", "")
    page.drop_files([later])
    waiting = page.wait_upload(later[0], "failed")
    assert "Enter the entity id" in waiting["status"] and waiting["retry"], waiting
    page.fill("#upload-entity-id", entity)
    page.upload_item(later[0]).find_element("css selector", "button.retry").click()
    assert page.wait_upload(later[0], "done")["progress"] == 100
    page.wait_rows(lambda names: later[0] in names, "the retried file never appeared in the table")

    before = rejected_uploads()
    page.drop_files([disguised, program])
    refused = page.wait_upload(disguised[0], "failed")
    assert refused["status"] == server_message, refused
    assert refused["statusRole"] == "alert" and refused["retry"], refused
    blocked = page.wait_upload(program[0], "failed")
    assert blocked["status"].startswith("This type of file is not accepted."), blocked
    assert blocked["retry"]
    assert page.upload_item(program[0]).find_element("css selector", "button.retry").accessible_name == f"Retry {program[0]}"
    page.wait.until(lambda _: rejected_uploads() == before + 1, "the disguised file was not judged by the server")
    assert rejected_uploads() == before + 1, "the .exe never reached the server"
    page.screenshot("upload-rejected")

    page.upload_item(disguised[0]).find_element("css selector", "button.retry").click()
    page.wait.until(lambda _: rejected_uploads() == before + 2, "retry did not send the file again")
    again = page.wait_upload(disguised[0], "failed")
    assert again["status"] == server_message and again["retry"], again

    names = {entry["fileName"] for entry in server.list_all(prefix=f"patients/{entity}/")}
    assert names == {later[0]}
    assert disguised[0] not in page.row_names() and program[0] not in page.row_names()


# --- finding documents ------------------------------------------------------------------------------------


def test_filter_search_and_browse_by_breadcrumbs(page, server):
    run = unique()
    patient = f"FLT-{run}"
    lab = upload_for(server, patient, [(f"flt-lab-{run}.txt", b"lab\n")], category="lab-results")[0]
    invoice = upload_for(server, patient, [(f"flt-invoice-{run}.txt", b"invoice\n")], category="invoices")[0]
    upload_for(server, patient, [(f"flt-rx-{run}.txt", b"prescription\n")], category="prescriptions")

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.choose("#category", "invoices")
    page.click_to_load("#apply-filter")
    assert parse_qs(urlparse(page.driver.current_url).query).get("category") == ["invoices"]
    categories = {row.get_attribute("data-category") for row in page.find_all("tr.document-row")}
    assert categories == {"invoices"}, categories
    assert invoice["fileName"] in page.row_names() and lab["fileName"] not in page.row_names()
    page.screenshot("storage-filtered-by-category")

    page.choose("#category", "")
    page.fill("#q", f"FLT-LAB-{run}")  # the search ignores case
    page.navigate_by(lambda: page.find("#q").send_keys(Keys.ENTER), "Enter in the search field")  # submits the filter form
    assert parse_qs(urlparse(page.driver.current_url).query).get("q") == [f"FLT-LAB-{run}"]
    assert page.row_names() == [lab["fileName"]]
    page.screenshot("storage-searched")

    page.fill("#q", f"no-such-file-{run}")
    page.click_to_load("#apply-filter")
    page.wait_text("#empty-state", "No documents match this filter.")

    page.open("/storage")
    for folder in ("patients/", f"{patient}/", CATEGORY_FOLDER["lab-results"] + "/"):
        links = [link for link in page.find_all("a.folder-link") if link.text == folder]
        assert len(links) == 1, f"no folder link {folder}: {[link.text for link in page.find_all('a.folder-link')]}"
        page.navigate_by(links[0].click, f"the folder link {folder}")
        page.wait_text('#breadcrumbs [aria-current="page"]', folder.rstrip("/"))
    assert parse_qs(urlparse(page.driver.current_url).query)["prefix"] == [f"patients/{patient}/lab-results/"]
    crumbs = [item.text for item in page.find_all("#breadcrumbs li")]
    assert crumbs == ["All documents", "patients", patient, "lab-results"], crumbs
    assert page.row_names() == [lab["fileName"]]
    page.screenshot("storage-browse-category")

    page.click_to_load(f'#breadcrumbs a[href="/storage?prefix=patients/{patient}/"]')
    page.wait_text('#breadcrumbs [aria-current="page"]', patient)
    folders = sorted(CATEGORY_FOLDER[category] + "/" for category in ("lab-results", "invoices", "prescriptions"))
    assert sorted(link.text for link in page.find_all("a.folder-link")) == folders
    assert len(page.row_names()) == 3
    page.click_to_load('#breadcrumbs a[href="/storage"]')
    page.wait_text('#breadcrumbs [aria-current="page"]', "All documents")
    page.screenshot("storage-browse-root")


# --- row actions ------------------------------------------------------------------------------------------


def test_download_through_the_page_saves_the_uploaded_bytes(page, server, backend):
    run = unique()
    data = f"download me {run}\n".encode() * 50
    entry = upload_for(server, f"DL-{run}", [(f"download-{run}.txt", data)])[0]

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.open(f"/storage?q=download-{run}")
    page.requested_urls()  # forget what came before
    page.row(entry["fileName"]).find_element("css selector", "button.download").click()
    saved = page.wait_download(entry["fileName"])
    assert hashlib.sha256(saved).hexdigest() == hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert saved == data
    assert page.text("#page-message") == f"Downloading {entry['fileName']}…"
    assert urlparse(page.driver.current_url).path == "/storage", "an attachment download leaves the page where it was"
    # The bytes came from a pre-signed URL: medvault's own signed object path on the local store, the bucket on S3.
    signed = [url for url in page.requested_urls() if "X-Amz-Signature=" in url]
    assert len(signed) == 1, signed
    where = urlparse(signed[0])
    if backend == "local":
        assert (where.netloc, where.path) == (f"127.0.0.1:{server.port}", "/api/v2/aws/s3/objects/" + entry["key"]), signed[0]
    else:
        assert where.netloc == urlparse(peer_environment(backend)["AWS_ENDPOINT_URL_S3"]).netloc, signed[0]
        assert where.path.endswith("/" + entry["key"]) and server.bucket.name in where.netloc + where.path, signed[0]
    presigned = server.query("SELECT * FROM audit_events WHERE action = 'document.presign' AND outcome = 'success' ORDER BY sequence")
    assert presigned, "the page asked for a pre-signed URL"
    page.screenshot("storage-after-download")


def test_details_dialog_shows_the_document(page, server, backend):
    run = unique()
    data = samples.pdf(f"details {run}")
    entry = upload_for(server, f"DET-{run}", [(f"details-{run}.pdf", data)], category="consent-forms")[0]

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.open(f"/storage?q=details-{run}")
    page.row(entry["fileName"]).find_element("css selector", "button.details").click()
    page.visible("#document-details")
    assert page.js("return document.getElementById('document-details').open") is True
    assert page.text("#detail-file-name") == entry["fileName"]
    assert page.text("#detail-key") == entry["key"]
    assert page.text("#detail-sha256") == hashlib.sha256(data).hexdigest()
    assert page.text("#detail-entity-type") == "patient"
    assert page.text("#detail-entity-id") == f"DET-{run}"
    assert page.text("#detail-category") == "consent-forms"
    assert page.text("#detail-content-type") == "application/pdf"
    assert page.text("#detail-size").endswith(f"({len(data):,} bytes)")
    encryption = page.text("#detail-encryption")
    assert encryption.startswith("AES-256-GCM at rest" if backend == "local" else "SSE-"), encryption
    page.screenshot("storage-details")
    page.find("#close-details").click()
    page.wait.until(lambda _: page.js("return document.getElementById('document-details').open") is False)


def test_delete_asks_first_then_archives(page, server):
    run = unique()
    patient = f"DEL-{run}"
    entry = upload_for(server, patient, [(f"delete-me-{run}.txt", b"delete me\n")])[0]

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.open(f"/storage?prefix=patients/{patient}/")
    page.mark_page()
    page.row(entry["fileName"]).find_element("css selector", "button.delete").click()
    page.visible("#confirm-delete")
    assert page.text("#confirm-delete-title") == "Delete this document?"
    message = page.text("#confirm-message")
    assert entry["fileName"] in message and "soft delete" in message and "archive" in message, message
    assert page.find("#permanent-explanation").is_displayed()
    assert page.js("return document.activeElement.id") == "cancel-delete", "the safe choice has the focus"
    names = [button.accessible_name for button in page.find_all("#confirm-delete button")]
    assert names == ["Move to archive", "Delete permanently", "Cancel"], names
    page.screenshot("delete-confirmation")

    page.find("#cancel-delete").click()
    page.wait.until(lambda _: page.js("return document.getElementById('confirm-delete').open") is False)
    assert entry["fileName"] in page.row_names(), "cancel keeps the document"
    assert server.download(entry["key"]).status_code == 200

    page.row(entry["fileName"]).find_element("css selector", "button.delete").click()
    page.visible("#confirm-soft-delete").click()
    page.wait_rows(lambda names: entry["fileName"] not in names, "the deleted row stayed in the table")
    page.wait_text("#page-message", "1 document moved to the archive.")
    page.assert_same_page()
    page.screenshot("storage-after-delete")

    assert server.download(entry["key"]).status_code == 404
    archived = {item["key"] for item in server.list_all(prefix=f"archived/patients/{patient}/")}
    assert archived == {"archived/" + entry["key"]}


def test_bulk_select_and_delete(page, server):
    run = unique()
    patient = f"BULK-{run}"
    entries = upload_for(server, patient, [(f"bulk-{n}-{run}.txt", f"bulk {n}\n".encode()) for n in range(3)])
    keep = entries[2]

    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.open(f"/storage?prefix=patients/{patient}/")
    assert not page.find("#bulk-delete").is_enabled()
    page.find("#select-all").click()
    assert page.text("#selection-count") == "3 of 3 selected"
    page.row(keep["fileName"]).find_element("css selector", "input.select-row").click()
    assert page.text("#selection-count") == "2 of 3 selected"
    assert page.js("return document.getElementById('select-all').indeterminate") is True
    bulk = page.find("#bulk-delete")
    assert bulk.is_enabled() and bulk.text == "Delete selected (2)"
    page.screenshot("bulk-selected")
    bulk.click()
    page.visible("#confirm-delete")
    assert page.text("#confirm-delete-title") == "Delete 2 documents?"
    assert "soft delete" in page.text("#confirm-message")
    page.find("#confirm-soft-delete").click()
    page.wait_rows(lambda names: names == [keep["fileName"]], "the two selected rows stayed in the table")
    page.wait_text("#page-message", "2 documents moved to the archive.")
    assert page.text("#selection-count") == ""
    page.screenshot("bulk-deleted")

    assert {item["key"] for item in server.list_all(prefix=f"patients/{patient}/")} == {keep["key"]}
    archived = {item["key"] for item in server.list_all(prefix=f"archived/patients/{patient}/")}
    assert archived == {"archived/" + entry["key"] for entry in entries[:2]}


# --- sessions and roles -----------------------------------------------------------------------------------


def test_idle_session_is_sent_to_sign_in(start_server, page_on):
    short = start_server(env={"MEDVAULT_SESSION_IDLE_TIMEOUT": str(IDLE_TIMEOUT)}, name="browser-idle")
    browser = page_on(short)
    browser.sign_in(short.admin_email, ADMIN_PASSWORD, lands_on="/storage")
    signed_in_at = time.monotonic()
    # Activity keeps the session: two reloads, each well inside the timeout, outlast it in total.
    for _ in range(2):
        time.sleep(IDLE_TIMEOUT * 0.5)
        browser.driver.refresh()
        browser.wait_path("/storage")
    assert time.monotonic() - signed_in_at > IDLE_TIMEOUT
    time.sleep(IDLE_TIMEOUT + 1)  # the one fixed wait: idle past the timeout
    browser.driver.refresh()
    browser.wait_path("/login")
    assert parse_qs(urlparse(browser.driver.current_url).query).get("expired") == ["1"]
    assert "signed out after a period of inactivity" in browser.text('p.notice[role="status"]')
    assert browser.find_all("#signed-in-user") == []
    browser.screenshot("login-after-idle-timeout")
    expired = short.query("SELECT * FROM audit_events WHERE action = 'auth.session_expired'")
    assert len(expired) == 1 and f"idle for {IDLE_TIMEOUT} s" in expired[0]["detail"], expired


def test_a_patient_sees_only_their_own_documents(page, people):
    a, b = people["A"], people["B"]
    page.sign_in(a["email"], PASSWORD, lands_on="/documents")
    assert page.text("h1") == "Your documents"
    assert "(patient)" in page.text("#signed-in-user")
    assert page.row_names() == [a["file"]]
    assert b["file"] not in page.driver.page_source
    assert page.find("#upload-entity-id").get_attribute("value") == a["patient"]
    assert page.find_all("#confirm-permanent-delete") == [], "patients get no permanent delete"
    page.screenshot("documents-patient")
    page.open(f"/documents?prefix=patients/{b['patient']}/&patient={b['patient']}")
    assert page.row_names() == [a["file"]], "query parameters never widen a patient's view"
    assert b["file"] not in page.driver.page_source


def test_a_provider_picks_a_patient_from_their_care_team(page, people):
    a, b, c = people["A"], people["B"], people["C"]
    page.sign_in(people["provider"]["email"], PASSWORD, lands_on="/documents")
    assert "(provider)" in page.text("#signed-in-user")
    options = [option.get_attribute("value") for option in page.find_all("#patient option")]
    assert options == sorted([a["patient"], c["patient"]]), options
    assert page.find("#patient").accessible_name == "Patient"
    first = min(a, c, key=lambda person: person["patient"])
    assert page.text("h1") == f"Documents of patient {first['patient']}"
    assert page.row_names() == [first["file"]]
    page.screenshot("documents-provider")

    page.choose("#patient", c["patient"])
    page.click_to_load("#choose-patient")
    assert parse_qs(urlparse(page.driver.current_url).query).get("patient") == [c["patient"]]
    page.wait_text("h1", f"Documents of patient {c['patient']}")
    assert page.row_names() == [c["file"]]
    assert page.find("#upload-entity-id").get_attribute("value") == c["patient"]
    assert b["file"] not in page.driver.page_source
    page.screenshot("documents-provider-other-patient")

    page.open(f"/documents?patient={b['patient']}")
    assert b["file"] not in page.driver.page_source, "a patient outside the care team stays hidden"
    assert page.find_all("tr.document-row") == []


# --- the self-check ---------------------------------------------------------------------------------------


def test_selftest_page_shows_every_check_with_its_duration(page, backend):
    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.open("/test/s3")
    rows = page.find_all("#selftest-results tr.check")
    assert [row.get_attribute("data-name") for row in rows] == SELFTEST_CHECKS
    statuses = {row.get_attribute("data-name"): row.get_attribute("data-status") for row in rows}
    failing = {name for name, status in statuses.items() if status != "pass"}
    assert failing == expected_selftest_failures(backend), statuses
    for row in rows:
        shown = row.find_element("css selector", ".check-status").text
        assert shown.lower() == row.get_attribute("data-status"), shown
        duration = row.find_element("css selector", ".check-duration").text
        assert re.fullmatch(r"\d+ (µs|ms)|\d+\.\d s", duration), f"{row.get_attribute('data-name')}: {duration!r}"
        colour = row.find_element("css selector", ".check-status span").value_of_css_property("color")
        red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
        shows_green = green > red and green > blue
        assert shows_green == (row.get_attribute("data-status") == "pass"), f"{row.get_attribute('data-name')}: {colour}"
    summary = page.find("#selftest-summary")
    if failing:
        assert "some-failed" in summary.get_attribute("class")
    else:
        assert "all-passed" in summary.get_attribute("class")
        assert "All 11 checks passed" in summary.text
    page.screenshot("selftest")


# --- keyboard, labels, phones -----------------------------------------------------------------------------


def test_keyboard_reaches_the_upload_controls_and_every_control_is_labelled(page, server, tmp_path):
    run = unique()
    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    # The picker dialog cannot be seen headless: count the clicks the drop zone forwards to the file input
    # (and keep the dialog closed).
    page.js(
        "window.__pickerOpened = 0;"
        "document.getElementById('file-input').addEventListener('click', (e) => { window.__pickerOpened += 1; e.preventDefault(); });"
    )
    page.find("#upload-entity-id").send_keys(f"KEY-{run}")
    page.driver.switch_to.active_element.send_keys(Keys.TAB)
    focused = page.driver.switch_to.active_element
    assert focused.get_attribute("id") == "drop-zone", "Tab goes from the entity id to the drop zone"
    assert focused.aria_role == "button" and focused.accessible_name.startswith("Drop files here")
    focused.send_keys(Keys.ENTER)
    page.wait.until(lambda _: page.js("return window.__pickerOpened") == 1, "Enter on the drop zone did not open the picker")
    focused.send_keys(Keys.SPACE)
    page.wait.until(lambda _: page.js("return window.__pickerOpened") == 2, "Space on the drop zone did not open the picker")
    page.screenshot("keyboard-drop-zone-focused")

    focused.send_keys(Keys.TAB)
    picker = page.driver.switch_to.active_element
    assert picker.get_attribute("id") == "file-input", "the next Tab reaches the file picker"
    chosen = tmp_path / f"keyboard-{run}.txt"
    chosen.write_bytes(b"chosen without a mouse\n")
    picker.send_keys(str(chosen))
    page.wait_upload(chosen.name, "done")
    page.wait_rows(lambda names: chosen.name in names, "the file chosen by keyboard never appeared")
    assert server.list_all(prefix=f"patients/KEY-{run}/")[0]["fileName"] == chosen.name

    unlabelled = [
        f"{element.tag_name}#{element.get_attribute('id') or element.get_attribute('class')}"
        for element in page.find_all("input:not([type=hidden]), select, textarea, button, progress, [role=button]")
        if element.is_displayed() and not element.accessible_name.strip()
    ]
    assert unlabelled == [], f"controls without an accessible name: {unlabelled}"
    assert page.find("#file-input").accessible_name == "Or choose files"
    assert page.find("#upload-category").accessible_name == "Category"
    assert page.find("#q").accessible_name == "File name contains"
    assert page.find("#select-all").accessible_name == "Select all documents on this page"
    assert page.row(chosen.name).find_element("css selector", "input.select-row").accessible_name == f"Select {chosen.name}"
    assert page.upload_item(chosen.name).find_element("css selector", "progress").accessible_name == f"Upload progress of {chosen.name}"
    described = page.find("#drop-zone").get_attribute("aria-describedby")
    assert page.find(f"#{described}").text.startswith("Images up to")


def test_phone_size_layout(page, server, people):
    page.reset(size=PHONE)
    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    width = page.js("return window.innerWidth")
    assert width <= PHONE[0], width
    assert page.js("return document.documentElement.scrollWidth") <= width, "the storage page scrolls sideways on a phone"
    assert page.find("table.documents thead").size["height"] <= 1, "on a phone the table header is only for screen readers"
    assert page.find_all("tr.document-row"), "the module's documents are listed"
    page.screenshot("phone-storage")

    page.reset(size=PHONE)
    page.sign_in(people["A"]["email"], PASSWORD, lands_on="/documents")
    assert page.js("return document.documentElement.scrollWidth") <= page.js("return window.innerWidth"), "the documents page scrolls sideways"
    row = page.row(people["A"]["file"])
    assert row.find_element("css selector", "button.download").is_displayed()
    page.screenshot("phone-documents")
