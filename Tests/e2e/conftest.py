"""Fixtures for the end-to-end suite: servers on free loopback ports, each with a fresh data directory and,
on an S3 run (`MEDVAULT_E2E_BACKEND=ministack|moto`), a fresh bucket.

Markers:
- `local_only(reason)`: the test is about the local store itself (bytes on disk, the key file, …); skipped
  on S3 with the reason.
- `s3_only(reason)`: the test is about the S3 backend; skipped on the local store.
- `storage_agnostic(reason)`: the test never reaches what differs between backends (sign-in, HTTP connection
  handling, the audit API, …); it runs on the local store (on both engines) and is skipped on S3, where it would
  only repeat itself and lengthen the run.
- `database_agnostic(reason)`: the test never reaches what differs between database engines (HTTP handling,
  request paths, pages driven in a browser, …); it runs on SQLite and is skipped on a PostgreSQL run.
- `s3_semantics(reason)`: the test depends on how the S3 server behaves (versioning, copies, storage classes,
  multipart, lifecycle, pre-signed URLs, what is left in the bucket). moto is lenient (../shared/S3-PEERS.md) and
  serves as a second opinion on those semantics only: a moto run keeps these tests and skips the rest, which
  the strict ministack run covers.
- `sqlite_only(reason)`, `postgres_only(reason)`: the test is about one database engine; skipped on the
  other (MEDVAULT_E2E_DATABASE_URL selects PostgreSQL, see databases.py).
"""

from __future__ import annotations

import itertools

import pytest

import databases
from backends import BACKENDS, is_s3, peer_env_file, peer_environment, selected_backend
from clamd import shared_clamd_url, shared_env_file
from support import MedvaultServer, ServerStartError, launch_server, medvault_binary

_counter = itertools.count(1)


def pytest_configure(config):
    try:
        backend = selected_backend()
        if is_s3(backend):
            peer_environment(backend)
    except (ValueError, FileNotFoundError) as error:
        raise pytest.UsageError(str(error)) from error


def pytest_report_header(config):
    backend = selected_backend()
    lines = [f"medvault binary: {medvault_binary()}", f"storage backend: {backend} (MEDVAULT_E2E_BACKEND; one of {', '.join(BACKENDS)})"]
    if is_s3(backend):
        lines.append(f"S3 peer: {peer_environment(backend)['AWS_ENDPOINT_URL_S3']} (from {peer_env_file(backend)})")
    lines.append(f"database: {databases.selected_database()} (MEDVAULT_E2E_DATABASE_URL set: PostgreSQL, one database per data directory)")
    return lines


def pytest_sessionfinish(session, exitstatus):
    databases.drop_created()


def pytest_collection_modifyitems(config, items):
    backend = selected_backend()
    for item in items:
        local = item.get_closest_marker("local_only")
        if local is not None and is_s3(backend):
            reason = local.args[0] if local.args else "about the local store"
            item.add_marker(pytest.mark.skip(reason=f"local store only ({reason}); backend is {backend}"))
        agnostic = item.get_closest_marker("storage_agnostic")
        if agnostic is not None and is_s3(backend):
            reason = agnostic.args[0] if agnostic.args else "does not depend on the storage backend"
            item.add_marker(pytest.mark.skip(reason=f"storage-agnostic ({reason}); it runs on the local store"))
        if backend == "moto" and item.get_closest_marker("s3_semantics") is None:
            item.add_marker(pytest.mark.skip(reason="moto runs only the s3_semantics modules; ministack runs them all"))
        database_agnostic = item.get_closest_marker("database_agnostic")
        if database_agnostic is not None and databases.selected_database() != "sqlite":
            reason = database_agnostic.args[0] if database_agnostic.args else "does not depend on the database engine"
            item.add_marker(pytest.mark.skip(reason=f"database-agnostic ({reason}); it runs on SQLite"))
        s3 = item.get_closest_marker("s3_only")
        if s3 is not None and not is_s3(backend):
            reason = s3.args[0] if s3.args else "about the S3 backend"
            item.add_marker(pytest.mark.skip(reason=f"S3 only ({reason}); backend is local"))
        for engine in databases.ENGINES:
            marker = item.get_closest_marker(f"{engine}_only")
            if marker is not None and databases.selected_database() != engine:
                reason = marker.args[0] if marker.args else f"about {engine}"
                item.add_marker(pytest.mark.skip(reason=f"{engine} only ({reason}); database is {databases.selected_database()}"))


@pytest.fixture(scope="session")
def clamd_url() -> str:
    """MEDVAULT_CLAMD_URL of the shared clamd (scripts/clamd.sh start). Without it the test is skipped, unless
    MEDVAULT_E2E_CLAMD_ENV names the env file (test.sh does): then it fails."""
    url = shared_clamd_url()
    if url is None:
        path, named = shared_env_file()
        message = f"clamd is not running ({path} not found): start it with scripts/clamd.sh start"
        if named:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def backend() -> str:
    """The storage backend of this run: local, ministack or moto."""
    return selected_backend()


def _start(tmp_path_factory, name: str, env: dict | None, s3: bool | None = None) -> MedvaultServer:
    label = f"{name}-{next(_counter)}"
    try:
        return launch_server(tmp_path_factory.mktemp(label), label, env, s3)
    except ServerStartError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    """One server for the whole module (default configuration, storage enabled, on the selected backend)."""
    started = _start(tmp_path_factory, request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_"), None)
    yield started
    started.shutdown()


@pytest.fixture
def start_server(tmp_path_factory):
    """Starts extra servers with a given environment (on top of the backend's); all are stopped after the
    test. `s3=False` starts one without S3 configuration even on an S3 run."""
    started: list[MedvaultServer] = []

    def start(env: dict | None = None, name: str = "custom", s3: bool | None = None) -> MedvaultServer:
        started.append(_start(tmp_path_factory, name, env, s3))
        return started[-1]

    yield start
    for each in started:
        each.shutdown()
