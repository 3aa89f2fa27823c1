"""The database behind the API: `/readyz` on either engine, and on PostgreSQL what several nodes and an outage
do — requests that need the database answer 503 `database_unavailable` with `Retry-After` while it is away,
`/healthz` stays up, and the node recovers by itself; sessions, lockout counters and disabled users are shared
by every node on the database."""

from __future__ import annotations

import base64
import os
import socket
import threading
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

import databases
from support import ADMIN_API, ADMIN_EMAIL, ADMIN_PASSWORD, API, Browser, assert_error, free_port, run_cli

PASSWORD = "Node-Passw0rd!"


def test_readyz_reports_database_and_storage(server):
    response = server.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready", "database": "ok", "storage": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert server.audit_rows(response.headers["X-Request-Id"], expected=0, wait=0.3) == [], "probes are not audited"


def test_readyz_with_storage_switched_off_is_ready(start_server):
    server = start_server({"ENABLE_AWS_S3_STORAGE": "false"}, name="readyz-disabled")
    assert server.get("/readyz").json() == {"status": "ready", "database": "ok", "storage": "disabled"}


def test_readyz_in_production_without_s3_is_not_ready(start_server):
    server = start_server({"MEDVAULT_ENV": "production"}, name="readyz-production", s3=False)
    response = server.get("/readyz")
    error = assert_error(response, 503, "not_ready")
    assert error["message"] == "Not ready: storage is not configured."
    assert int(response.headers["Retry-After"]) > 0
    assert {k: v for k, v in response.json().items() if k != "error"} == {"status": "not_ready", "database": "ok", "storage": "not_configured"}


def test_a_malformed_database_url_stops_a_command_without_showing_it(tmp_path):
    result = run_cli(["migrate", "--data-dir", str(tmp_path / "data")], env={"DATABASE_URL": "postgres://medvault:s3cret-pw@/nowhere"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "has no host" in result.stderr, result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout


@pytest.mark.postgres_only("a PostgreSQL server that cannot be reached")
def test_an_unreachable_database_stops_a_command_with_a_clear_message(tmp_path):
    unreachable = f"postgres://medvault:s3cret-pw@127.0.0.1:{free_port()}/medvault?sslmode=disable"
    result = run_cli(["user", "list", "--data-dir", str(tmp_path / "data")], env={"DATABASE_URL": unreachable}, timeout=60)
    assert result.returncode != 0
    assert "the database cannot be reached" in result.stderr, result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout


# --- PostgreSQL: an outage ------------------------------------------------------------------------------


class CuttableProxy:
    """A TCP forwarder on a loopback port to the PostgreSQL server, which a test cuts (every connection
    dropped, new ones refused, as when the database goes away) and restores on the same port."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None

    def start(self) -> "CuttableProxy":
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept() (close alone does not)
            except OSError:
                pass
            listener.close()
        with self._lock:
            live, self._sockets = self._sockets, set()
        for each in live:
            try:
                each.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            each.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for each in (source, sink):
                try:
                    each.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def through(url: str, port: int) -> str:
    """`url` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit((parts.scheme, f"{credentials}127.0.0.1:{port}", parts.path, parts.query, parts.fragment))


@pytest.fixture
def proxied_server(start_server, tmp_path):
    direct = databases.database_url(tmp_path / "proxied-database")
    parts = urlsplit(direct)
    proxy = CuttableProxy(parts.hostname, parts.port).start()
    try:
        yield start_server({"DATABASE_URL": through(direct, proxy.port)}, name="outage"), proxy
    finally:
        proxy.cut()


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"{what} within {timeout} s"
        time.sleep(0.2)


@pytest.mark.postgres_only("a PostgreSQL outage and the node's recovery")
def test_an_outage_answers_503_and_the_node_recovers(proxied_server):
    server, proxy = proxied_server
    entry = server.upload_ok([("before-outage.txt", b"kept\n")], entity_id="P-OUTAGE")[0]

    proxy.cut()
    listing = server.get(API + "/list", params={"prefix": "patients/P-OUTAGE/"})
    assert_error(listing, 503, "database_unavailable")
    assert int(listing.headers["Retry-After"]) > 0
    assert_error(server.post(ADMIN_API + "/users", json={"email": "x@outage.test", "role": "admin"}), 503, "database_unavailable")
    assert server.get("/healthz", auth=None).status_code == 200, "liveness does not depend on the database"
    ready = server.get("/readyz", auth=None)
    assert assert_error(ready, 503, "not_ready")["message"] == "Not ready: the database is unavailable."
    assert {k: v for k, v in ready.json().items() if k != "error"} == {"status": "not_ready", "database": "unavailable", "storage": "ok"}

    proxy.start()
    wait_for(lambda: server.get("/readyz", auth=None).status_code == 200, 60, "the node is ready again")
    listed = server.get(API + "/list", params={"prefix": "patients/P-OUTAGE/"})
    assert listed.status_code == 200, listed.text
    assert [f["key"] for f in listed.json()["files"]] == [entry["key"]]
    assert server.cli(["audit", "verify"]).returncode == 0, "the chain is whole after the outage"


# --- PostgreSQL: several nodes ----------------------------------------------------------------------------


@pytest.fixture
def two_nodes(start_server, tmp_path):
    """Two servers, each with its own data directory and local store, on one PostgreSQL database, sharing the keys
    every node of one deployment shares (the JWT secret comes with the suite's identities)."""
    shared = {
        "DATABASE_URL": databases.database_url(tmp_path / "shared-database"),
        "MEDVAULT_AUDIT_KEY": base64.b64encode(os.urandom(32)).decode(),
        "MEDVAULT_IDENTIFIER_KEY": base64.b64encode(os.urandom(32)).decode(),
        "MEDVAULT_LOCKOUT_DURATION": "60",
    }
    return start_server(shared, name="node-a"), start_server(shared, name="node-b")


@pytest.mark.postgres_only("several nodes on one database")
def test_a_session_made_on_one_node_works_on_the_other(two_nodes):
    a, b = two_nodes
    browser = Browser(a)
    browser.signed_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    browser.server = b
    assert browser.get("/").status_code == 200, "node B accepts node A's session cookie"
    assert browser.post("/logout", data={"csrf_token": browser.session_csrf()}).status_code == 303
    browser.server = a
    assert browser.get("/").status_code in (302, 303), "signed out on B is signed out on A"


@pytest.mark.postgres_only("several nodes on one database")
def test_a_continuation_token_from_one_node_continues_on_the_other(two_nodes):
    a, b = two_nodes
    keys = sorted(entry["key"] for entry in a.upload_ok([(f"page-{n}.txt", b"x\n") for n in range(3)], entity_id="P-PAGES"))
    first = a.list(prefix="patients/P-PAGES/", maxKeys=2).json()
    assert [f["key"] for f in first["files"]] == keys[:2]
    rest = b.list(prefix="patients/P-PAGES/", maxKeys=2, continuationToken=first["nextContinuationToken"])
    assert rest.status_code == 200, rest.text
    assert [f["key"] for f in rest.json()["files"]] == keys[2:]


@pytest.mark.postgres_only("several nodes on one database")
def test_failed_sign_ins_spread_over_two_nodes_lock_the_account(two_nodes):
    a, b = two_nodes
    email = f"spread-{uuid.uuid4().hex[:8]}@nodes.e2e.test"
    a.add_user(email, "provider", provider_id="dr-spread", password=PASSWORD)
    for attempt in range(5):
        node = (a, b)[attempt % 2]
        assert Browser(node).sign_in(email, f"wrong-{attempt}").status_code == 401
    assert Browser(a).sign_in(email, PASSWORD).status_code == 401, "locked on A"
    assert Browser(b).sign_in(email, PASSWORD).status_code == 401, "locked on B"
    assert len(a.query("SELECT * FROM audit_events WHERE action = 'auth.lockout'")) == 1


@pytest.mark.postgres_only("several nodes on one database")
def test_a_user_disabled_through_one_node_is_refused_by_the_other(two_nodes):
    a, b = two_nodes
    email = f"leaver-{uuid.uuid4().hex[:8]}@nodes.e2e.test"
    a.add_user(email, "admin", password=PASSWORD)
    token = b.issue_token(email)
    assert b.get(ADMIN_API + "/users", auth=token).status_code == 200
    browser = Browser(b)
    browser.signed_in(email, PASSWORD)
    disabled = a.post(ADMIN_API + "/users/disable", json={"email": email})
    assert disabled.status_code == 200, disabled.text
    assert_error(b.get(ADMIN_API + "/users", auth=token), 401, "invalid_token")
    assert browser.get("/").status_code in (302, 303), "B's session of the disabled user is gone"
    assert a.cli(["audit", "verify"]).returncode == 0
