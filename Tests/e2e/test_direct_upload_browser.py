"""The upload widget's direct uploads in a real browser (headless Chromium, as test_browser.py): a file above 8 MiB goes
straight to storage in parts, survives a Pause and a page reload, and resumes with the same file sending only the parts
the server says are missing; a refused file shows the server's code on its row.

On the local store, where the part URLs point at medvault itself. On S3 the browser needs the bucket's CORS, which
`medvault bucket setup` configures; the protocol itself is covered on every backend by test_direct_upload.py.
"""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests

import samples
from browser import Page
from support import ADMIN_EMAIL, ADMIN_PASSWORD, API, ServerStartError, launch_server
from test_browser import chrome  # noqa: F401 (pytest fixture: one Chromium for the module)

pytestmark = [pytest.mark.local_only("the browser reaches S3 only through the bucket's CORS, which `medvault bucket setup` sets"), pytest.mark.database_agnostic("the widget's behaviour in a browser; the protocol behind it runs on both engines")]

PART_MIB = 5
SESSIONS = "medvault.directUploads"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server cutting direct uploads into 5 MiB parts (S3's minimum), so that 16 MiB makes four."""
    try:
        started = launch_server(tmp_path_factory.mktemp("direct-browser"), "direct-browser", {"MEDVAULT_UPLOAD_PART_MB": str(PART_MIB)})
    except ServerStartError as error:
        pytest.fail(str(error), pytrace=False)
    yield started
    started.shutdown()


@pytest.fixture
def page(chrome, server, backend) -> Page:  # noqa: F811
    driver, downloads = chrome
    browser = Page(driver, server, backend, downloads)
    browser.reset()
    yield browser
    driver.execute_cdp_cmd("Fetch.disable", {})
    browser.js("localStorage.clear();")


def sign_in_for(page: Page, entity: str) -> None:
    page.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD, lands_on="/storage")
    page.choose("#upload-category", "medical-records")
    page.choose("#upload-entity-type", "patient")
    page.fill("#upload-entity-id", entity)


def remembered(page: Page) -> dict:
    return page.js(f"return JSON.parse(localStorage.getItem('{SESSIONS}') ?? '{{}}');")


def sent_parts(page: Page) -> list[int]:
    """The part numbers of the PUTs the browser sent since the last look."""
    return sorted(
        int(parse_qs(urlparse(url).query)["partNumber"][0]) for url in page.requested_urls() if "/objects/quarantine/" in url and "partNumber=" in url
    )


def test_a_multipart_upload_survives_pause_and_reload_and_sends_only_the_missing_parts(page, server, tmp_path):
    run = uuid.uuid4().hex[:8]
    entity = f"DUB-{run}"
    data = samples.pdf_of_size(16 * 1024 * 1024 - 4096)
    picked = tmp_path / f"scan-{run}.pdf"
    picked.write_bytes(data)

    csp = requests.get(server.url("/login"), timeout=10).headers["Content-Security-Policy"]
    assert f"connect-src 'self' {server.base_url};" in csp

    sign_in_for(page, entity)
    # Parts 3 and 4 are held in the browser (never answered), so the upload stops after parts 1 and 2 as a dropped
    # connection would leave it.
    page.driver.execute_cdp_cmd("Fetch.enable", {"patterns": [{"urlPattern": f"*partNumber={n}*"} for n in (3, 4)]})
    page.requested_urls()
    page.find("#file-input").send_keys(str(picked))
    upload_id = page.wait.until(lambda _: next(iter(remembered(page)), False), "the session was never remembered")
    entry = remembered(page)[upload_id]
    assert (entry["name"], entry["size"]) == (picked.name, len(data)) and entry["lastModified"] > 0
    assert "content" not in str(entry).lower()

    def received() -> list[int]:
        return [part["partNumber"] for part in server.get(f"{API}/uploads/{upload_id}").json()["receivedParts"]]

    page.wait.until(lambda _: received() == [1, 2], "parts 1 and 2 never arrived")
    assert page.upload_item(picked.name).find_element("css selector", "progress").get_attribute("value") not in ("0", "100")
    page.find("#upload-list button.pause").click()
    paused = page.wait_text("#upload-list li.upload-item[data-state=paused] .status", "Paused")
    assert paused == "Paused"
    assert page.find("#upload-list button.pause").text == "Resume"
    page.screenshot("direct-upload-paused")

    page.driver.execute_cdp_cmd("Fetch.disable", {})
    page.driver.refresh()
    page.wait_ready()
    offer = page.visible("#upload-list li.resume-offer")
    assert offer.get_attribute("data-upload-id") == upload_id
    assert offer.find_element("css selector", ".file-name").text == picked.name
    assert "Choose the same file again" in offer.find_element("css selector", ".status").text
    page.screenshot("direct-upload-offered")

    page.requested_urls()
    page.find("#file-input").send_keys(str(picked))
    done = page.wait_upload(picked.name, "done")
    assert done["status"] == "Uploaded" and done["progress"] == 100
    assert sent_parts(page) == [3, 4], "after the reload only the missing parts are sent"
    assert page.find_all("#upload-list li.resume-offer") == []
    assert remembered(page) == {}
    page.screenshot("direct-upload-resumed")

    assert server.get(f"{API}/uploads/{upload_id}").json()["state"] == "accepted"
    stored = {entry["fileName"]: entry for entry in server.list_all(prefix=f"patients/{entity}/")}
    assert stored[picked.name]["sha256"] == hashlib.sha256(data).hexdigest()
    assert server.download(id=upload_id).content == data


def test_a_refused_file_shows_its_code_and_cancel_aborts(page, server, tmp_path):
    run = uuid.uuid4().hex[:8]
    sign_in_for(page, f"DUR-{run}")
    # A small file goes direct only when the page is set to send every file that way; the setting is remembered.
    page.find("#direct-all").click()
    page.driver.refresh()
    page.wait_ready()
    assert page.find("#direct-all").is_selected()
    page.choose("#upload-category", "medical-records")
    page.choose("#upload-entity-type", "patient")
    page.fill("#upload-entity-id", f"DUR-{run}")

    name = f"results-{run}.png"
    page.drop_files([(name, samples.HTML, "image/png")])
    refused = page.wait_upload(name, "failed")
    assert refused["status"].endswith("(unsupported_type)"), refused
    assert refused["statusRole"] == "alert" and refused["retry"]
    assert page.upload_item(name).get_attribute("data-error-code") == "unsupported_type"
    assert [key for key in server.stored_objects() if key.startswith("quarantine/")] == []
    page.screenshot("direct-upload-refused")

    # Cancel while a part is held: the session is aborted and nothing stays.
    page.driver.execute_cdp_cmd("Fetch.enable", {"patterns": [{"urlPattern": "*/objects/quarantine/*"}]})
    held = f"held-{run}.pdf"
    page.drop_files([(held, samples.pdf(), "application/pdf")])
    upload_id = page.wait.until(lambda _: next(iter(remembered(page)), False), "the session was never remembered")
    page.upload_item(held).find_element("css selector", "button.cancel").click()
    page.wait.until(lambda _: page.upload_item(held).get_attribute("data-state") == "cancelled", "the upload was never cancelled")
    assert server.get(f"{API}/uploads/{upload_id}").json()["state"] == "aborted"
    assert remembered(page) == {}
