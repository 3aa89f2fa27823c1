"""The Docker image serves real pages: what the Dockerfile's final stage copies is enough to run medvault.

The image is assembled from the Dockerfile itself (`dockerfile.py`: its COPY lines, WORKDIR, ENV and ENTRYPOINT),
so this follows the Dockerfile as it changes. medvault then runs from the image's WORKDIR with nothing from the
repository around it: no migrations, templates or assets but those copied. A missing template stops start-up.
"""

from __future__ import annotations

import subprocess
import time

import pytest
import requests

from dockerfile import Image, assemble
from support import ADMIN_EMAIL, ADMIN_PASSWORD, AUTH_ENV, Browser, free_port, server_environment


class ImageServer:
    """medvault started as the image's ENTRYPOINT, from its WORKDIR, with its ENV (paths moved under the
    assembled root, listening on loopback at a free port)."""

    def __init__(self, image: Image):
        self.image = image
        self.port = free_port()
        self.log = image.root.parent / "medvault.log"
        env = {name: self._moved(value) for name, value in self.image.env.items()}
        env |= AUTH_ENV | {"HOST": "127.0.0.1", "PORT": str(self.port), "MEDVAULT_MIGRATIONS_DIR": None}
        command = [str(self.image.executable(self.image.entrypoint[0])), *self.image.entrypoint[1:]]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=self.image.path("."), env=server_environment(env), stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )

    def _moved(self, value: str) -> str:
        return str(self.image.path(value)) if value.startswith("/") else value

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_healthy(self, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.url("/healthz"), timeout=2).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def image(tmp_path) -> Image:
    return assemble(tmp_path / "image")


@pytest.fixture
def image_server(image):
    server = ImageServer(image)
    yield server
    server.stop()


def test_the_image_copies_the_templates(image):
    assert "Templates" in image.copied, image.copied
    assert (image.path("Templates") / "layout.mustache").is_file()


def test_the_assembled_image_serves_every_page(image_server):
    assert image_server.wait_healthy(), image_server.output()[-3000:]
    login = requests.get(image_server.url("/login"), timeout=10)
    assert login.status_code == 200
    assert "text/html" in login.headers["Content-Type"]
    assert "missing template" not in login.text
    assert '<form' in login.text and 'name="csrf_token"' in login.text

    browser = Browser(image_server)
    browser.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    storage = browser.get("/storage")
    assert storage.status_code == 200, storage.text[:300]
    for element in ('id="backend-badge"', 'id="storage-stats"', 'id="upload-widget"', 'id="breadcrumbs"'):
        assert element in storage.text, element
    for asset in ("/assets/medvault.css", "/assets/upload.js", "/api/v2/openapi.yaml"):
        assert requests.get(image_server.url(asset), timeout=10).status_code == 200, asset


def test_a_missing_template_stops_start_up(image):
    (image.path("Templates") / "partials" / "upload-widget.mustache").unlink()
    server = ImageServer(image)
    try:
        assert server.process.wait(timeout=60) != 0
        assert "partials/upload-widget.mustache" in server.output(), server.output()[-3000:]
        assert not server.wait_healthy(timeout=1)
    finally:
        server.stop()
