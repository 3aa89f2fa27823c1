"""A real browser for the end-to-end suite: Debian's headless Chromium driven by selenium 4 through
chromium-driver (scripts/test.sh installs both), plus the page helpers test_browser.py shares.

Selenium Manager never runs: the driver and the browser are given by path, and SE_OFFLINE keeps it from
reaching the network should a selenium version consult it anyway. A missing browser or driver fails the
tests with the package to install; it is never a skip.
"""

from __future__ import annotations

import base64
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from support import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DESKTOP = (1280, 900)
PHONE = (390, 844)
WAIT = 20  # seconds an explicit wait may take before the test fails
PAGE_LOAD_TIMEOUT = 180  # /test/s3 runs the whole self-check (a large-file round trip on S3) before answering


def chromium_paths() -> tuple[str, str]:
    """The browser and driver executables, or a test failure naming what to install."""
    browser = os.environ.get("MEDVAULT_CHROMIUM") or shutil.which("chromium") or CHROMIUM
    driver = os.environ.get("MEDVAULT_CHROMEDRIVER") or shutil.which("chromedriver") or CHROMEDRIVER
    missing = [f"{what} ({path})" for what, path in (("chromium", browser), ("chromedriver", driver)) if not os.access(path, os.X_OK)]
    if missing:
        pytest.fail(
            "the browser tests need Chromium and its driver, but these are missing: " + ", ".join(missing)
            + ". Install them with `apt-get install chromium chromium-driver` (scripts/test.sh system_packages does),"
            " or point MEDVAULT_CHROMIUM / MEDVAULT_CHROMEDRIVER at them.",
            pytrace=False,
        )
    return browser, driver


def start_chromium(download_dir: Path):
    """A headless Chromium at desktop size that saves downloads into `download_dir` without asking."""
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager, if ever consulted, must not download anything
    os.environ.setdefault("SE_AVOID_STATS", "true")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError as error:  # the venv of scripts/test.sh python_env has it
        pytest.fail(f"selenium is not installed ({error}): run scripts/test.sh python_env", pytrace=False)

    browser, driver = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        "--disable-features=Translate,OptimizationHints,MediaRouter,DownloadBubble,DownloadBubbleV2",
        "--lang=en-US",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "download.directory_upgrade": True,
            "safebrowsing.enabled": False,
            "profile.default_content_setting_values.automatic_downloads": 1,
        },
    )
    # Network requests only, for `requested_urls`.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    service = Service(executable_path=driver, log_output=str(download_dir.parent / "chromedriver.log"))
    try:
        chrome = webdriver.Chrome(service=service, options=options)
    except Exception as error:  # noqa: BLE001 (whatever went wrong, say it plainly)
        pytest.fail(f"could not start {browser} through {driver}: {error}", pytrace=False)
    chrome.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
    # Headless Chromium honours the download preferences only with this set as well.
    chrome.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir), "eventsEnabled": True})
    return chrome


class Page:
    """One browser on one medvault server: navigation, waits, screenshots, and the page's own helpers."""

    def __init__(self, driver, server, backend: str, download_dir: Path):
        from selenium.webdriver.support.ui import WebDriverWait

        self.driver = driver
        self.server = server
        self.backend = backend
        self.download_dir = download_dir
        self.wait = WebDriverWait(driver, WAIT, poll_frequency=0.05)
        self.shots = REPO_ROOT / "artifacts" / "screenshots" / backend
        self.shots.mkdir(parents=True, exist_ok=True)

    # -- state ----------------------------------------------------------------------------------------

    def reset(self, size: tuple[int, int] = DESKTOP) -> None:
        """Signed out everywhere, on a blank page, at `size`."""
        self.driver.get("about:blank")
        self.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.driver.set_window_size(*size)

    def url(self, path: str) -> str:
        return self.server.url(path)

    def open(self, path: str) -> None:
        self.driver.get(self.url(path))
        self.wait_ready()

    def wait_ready(self) -> None:
        from selenium.common.exceptions import WebDriverException

        def ready(driver):
            try:
                return driver.execute_script("return document.readyState") == "complete"
            except WebDriverException:  # between two documents
                return False

        self.wait.until(ready, "the page never finished loading")

    @property
    def path(self) -> str:
        parsed = urlparse(self.driver.current_url)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")

    def wait_path(self, path: str) -> None:
        """Waits until the browser shows `path` (without the query) and the page has loaded."""
        self.wait.until(lambda d: urlparse(d.current_url).path == path, f"expected to arrive at {path}")
        self.wait_ready()

    def screenshot(self, step: str) -> Path:
        """Saves the whole page (not only the visible part) as artifacts/screenshots/<backend>/<step>.png."""
        target = self.shots / f"{step}.png"
        content = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": content["width"], "height": content["height"], "scale": 1},
            },
        )
        target.write_bytes(base64.b64decode(shot["data"]))
        return target

    # -- elements -------------------------------------------------------------------------------------

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def visible(self, css: str):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC

        return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), f"{css} never became visible")

    def text(self, css: str) -> str:
        return self.find(css).text.strip()

    def wait_text(self, css: str, expected: str) -> str:
        """Waits until `css` exists and its text contains `expected`; returns the text."""

        def found(_):
            elements = self.find_all(css)
            return elements[0].text if elements and expected in elements[0].text else False

        return self.wait.until(found, f"{css} never said {expected!r}")

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def choose(self, select_css: str, value: str) -> None:
        from selenium.webdriver.support.ui import Select

        Select(self.find(select_css)).select_by_value(value)

    def fill(self, css: str, text: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(text)

    # -- medvault -------------------------------------------------------------------------------------

    def sign_in(self, email: str, password: str, lands_on: str | None) -> None:
        """Fills the sign-in form as a person would and submits it; waits for `lands_on` when given."""
        self.open("/login")
        assert self.find('input[name="csrf_token"]').get_attribute("value"), "the sign-in form carries its CSRF token"
        self.fill("#email", email)
        self.fill("#password", password)
        self.click_to_load('form[action="/login"] button[type="submit"]')
        if lands_on is not None:
            self.wait_path(lands_on)

    def click_to_load(self, css: str) -> None:
        """Clicks `css` (a link, a submit button) and waits until the browser shows a new, fully loaded document."""
        self.navigate_by(lambda: self.find(css).click(), f"clicking {css}")

    def navigate_by(self, action, what: str = "the action") -> None:
        """Runs `action` (a click on a link or a submit button, Enter in a form) and waits until the browser
        shows a new, fully loaded document.

        The old document carries a marker that a new one lacks. (Selenium's staleness_of races with the
        navigation in chromedriver: "Node with given id does not belong to the document".)"""
        from selenium.common.exceptions import WebDriverException

        self.js("window.__medvaultE2ELeaving = true;")
        action()

        def arrived(_):
            try:
                return self.js("return window.__medvaultE2ELeaving === undefined && document.readyState === 'complete'")
            except WebDriverException:  # between two documents
                return False

        self.wait.until(arrived, f"{what} did not load another page")

    def row_names(self) -> list[str]:
        return [row.get_attribute("data-file-name") for row in self.find_all("tr.document-row")]

    def row(self, file_name: str):
        rows = [row for row in self.find_all("tr.document-row") if row.get_attribute("data-file-name") == file_name]
        assert len(rows) == 1, f"{len(rows)} rows named {file_name!r}; rows: {self.row_names()}"
        return rows[0]

    def wait_rows(self, predicate, message: str) -> list[str]:
        """Waits until `predicate(row names)` holds (the table is replaced in place after uploads and deletes)."""
        from selenium.common.exceptions import StaleElementReferenceException

        def check(_):
            try:
                names = self.row_names()
            except StaleElementReferenceException:
                return False
            return (names,) if predicate(names) else False  # a tuple, so that an empty table counts as an answer

        from selenium.common.exceptions import TimeoutException

        try:
            return self.wait.until(check, message)[0]
        except TimeoutException as timeout:
            shown = self.js("return document.getElementById('page-message')?.textContent ?? ''")
            raise AssertionError(f"{message}; rows: {self.row_names()}; page message: {shown!r}") from timeout

    def mark_page(self) -> None:
        """Leaves a marker in this document, so that `assert_same_page` can tell a reload from an in-place update."""
        self.js("window.__medvaultE2EMarker = 'still-here';")

    def assert_same_page(self) -> None:
        assert self.js("return window.__medvaultE2EMarker") == "still-here", "the page was reloaded"

    def drop_files(self, files: list[tuple[str, bytes, str]], target: str = "#drop-zone") -> dict:
        """Drags `files` (name, bytes, media type) onto `target` with real dragenter/dragover/drop events whose
        DataTransfer holds File objects built in the page. Returns what the drop zone looked like meanwhile."""
        payload = [{"name": name, "b64": base64.b64encode(data).decode(), "type": kind} for name, data, kind in files]
        return self.js(
            """
            const [selector, files] = arguments;
            const zone = document.querySelector(selector);
            const dt = new DataTransfer();
            for (const f of files) {
              const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
              dt.items.add(new File([bytes], f.name, { type: f.type }));
            }
            const fire = (type) => {
              const event = new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt });
              zone.dispatchEvent(event);
              return event.defaultPrevented;
            };
            const enterPrevented = fire("dragenter");
            const overPrevented = fire("dragover");
            const draggingShown = zone.classList.contains("is-dragging");
            const dropPrevented = fire("drop");
            return { enterPrevented, overPrevented, dropPrevented, draggingShown,
                     draggingAfterDrop: zone.classList.contains("is-dragging"), count: dt.files.length };
            """,
            target,
            payload,
        )

    def upload_item(self, file_name: str):
        items = [li for li in self.find_all("#upload-list li.upload-item") if li.find_element("css selector", ".file-name").text == file_name]
        return items[-1] if items else None

    def wait_upload(self, file_name: str, state: str) -> dict:
        """Waits until the upload list shows `file_name` in `state` ("done" or "failed"); returns its progress and status."""

        def settled(_):
            info = self.js(
                """
                const items = [...document.querySelectorAll('#upload-list li.upload-item')]
                  .filter((li) => li.querySelector('.file-name').textContent === arguments[0]);
                const li = items[items.length - 1];
                if (!li) return null;
                return { state: li.dataset.state, progress: li.querySelector('progress').value,
                         max: li.querySelector('progress').max, status: li.querySelector('.status').textContent,
                         statusRole: li.querySelector('.status').getAttribute('role'),
                         retry: !!li.querySelector('button.retry') };
                """,
                file_name,
            )
            if info and info["state"] == state:
                return info
            if info and info["state"] in ("done", "failed"):
                raise AssertionError(f"{file_name} ended {info['state']} (expected {state}): {info['status']}")
            return False

        return self.wait.until(settled, f"{file_name} never reached {state}")

    def requested_urls(self) -> list[str]:
        """Every URL the browser requested since the last call (from Chromium's performance log)."""
        import json

        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def wait_download(self, file_name: str, timeout: float = WAIT) -> bytes:
        """The bytes of `file_name` once Chromium has finished saving it into the download directory."""
        target = self.download_dir / file_name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            partial = list(self.download_dir.glob("*.crdownload"))
            if target.is_file() and not partial:
                return target.read_bytes()
            time.sleep(0.05)
        raise AssertionError(f"{file_name} was not downloaded into {self.download_dir}: {sorted(p.name for p in self.download_dir.iterdir())}")
