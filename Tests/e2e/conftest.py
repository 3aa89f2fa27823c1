"""Fixtures for the end-to-end suite: servers on free loopback ports, each with a fresh data directory."""

from __future__ import annotations

import itertools

import pytest

from support import MedvaultServer, ServerStartError, medvault_binary

_counter = itertools.count(1)


def pytest_report_header(config):
    return f"medvault binary: {medvault_binary()}"


def _start(tmp_path_factory, name: str, env: dict | None) -> MedvaultServer:
    base = tmp_path_factory.mktemp(f"{name}-{next(_counter)}")
    server = MedvaultServer(data_dir=base / "data", log_dir=base / "logs", env=env)
    try:
        return server.start()
    except ServerStartError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    """One server for the whole module (default configuration: local store, storage enabled)."""
    started = _start(tmp_path_factory, request.module.__name__.rsplit(".", 1)[-1], None)
    yield started
    try:
        started.stop()
    finally:
        started.kill()


@pytest.fixture
def start_server(tmp_path_factory):
    """Starts extra servers with a given environment; every one is stopped after the test."""
    started: list[MedvaultServer] = []

    def start(env: dict | None = None, name: str = "custom") -> MedvaultServer:
        started.append(_start(tmp_path_factory, name, env))
        return started[-1]

    yield start
    for each in started:
        try:
            each.stop()
        finally:
            each.kill()
