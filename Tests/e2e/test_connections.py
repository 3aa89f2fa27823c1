"""Slow and idle connections are closed, and the number of open connections is capped.

Raw sockets play the slow clients: half a header, headers dripped a byte at a time, a body that stops or trickles,
a connection that sends nothing, more connections than the cap. Each server is started with short limits
(MEDVAULT_HEADER_TIMEOUT, MEDVAULT_IDLE_TIMEOUT, MEDVAULT_BODY_PROGRESS_TIMEOUT, MEDVAULT_MAX_CONNECTIONS).
"""

from __future__ import annotations

import gc
import select
import socket
import time

import pytest

from support import API, multipart_body

pytestmark = [pytest.mark.storage_agnostic("HTTP connection handling happens before any storage call"), pytest.mark.database_agnostic("HTTP connection handling happens before any database call")]

HEADERS_SO_FAR = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"
# Upper bound on how late a close may come after its deadline on a loaded machine.
SLACK = 5.0


def connect(server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closes `sock` (reading and dropping whatever it sends), or None if it is still
    open after `seconds`."""
    started = time.monotonic()
    while (left := started + seconds - time.monotonic()) > 0:
        ready, _, _ = select.select([sock], [], [], left)
        if not ready:
            break
        try:
            if not sock.recv(65536):
                return time.monotonic() - started
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - started
    return None


def still_open(sock: socket.socket) -> bool:
    ready, _, _ = select.select([sock], [], [], 0)
    return not ready


def get_healthz(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        chunk = sock.recv(65536)
        assert chunk, f"closed before the answer: {data!r}"
        data += chunk
    return data


@pytest.fixture(scope="module")
def header_server(tmp_path_factory):
    from conftest import _start

    server = _start(tmp_path_factory, "slow-headers", {"MEDVAULT_HEADER_TIMEOUT": "1", "MEDVAULT_IDLE_TIMEOUT": "4"})
    yield server
    server.shutdown()


# --- headers -----------------------------------------------------------------------------------------------


def test_half_a_header_is_closed_after_the_header_timeout(header_server):
    sock = connect(header_server)
    sock.sendall(HEADERS_SO_FAR)
    after = closed_within(sock, 1 + SLACK)
    assert after is not None, "a connection with unfinished headers must be closed"
    assert after >= 0.8


def test_dripping_header_bytes_do_not_extend_the_deadline(header_server):
    sock = connect(header_server)
    started = time.monotonic()
    closed = False
    for byte in HEADERS_SO_FAR * 4:
        try:
            sock.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        if closed_within(sock, 0.2) is not None:
            closed = True
            break
    assert closed, "the drip outlasted the header timeout"
    assert time.monotonic() - started < 1 + SLACK


def test_the_header_clock_starts_at_the_first_byte_and_idle_connections_close(header_server):
    sock = connect(header_server)
    assert closed_within(sock, 2) is None, "silence is the idle timeout's business (4 s), not the header timeout's (1 s)"
    assert b" 200 " in get_healthz(sock).split(b"\r\n", 1)[0]
    after = closed_within(sock, 4 + SLACK)
    assert after is not None and after >= 3, "an idle keep-alive connection is closed after MEDVAULT_IDLE_TIMEOUT"


def test_a_connection_that_sends_nothing_is_closed_after_the_idle_timeout(header_server):
    sock = connect(header_server)
    after = closed_within(sock, 4 + SLACK)
    assert after is not None and after >= 3.5, after


def test_many_unfinished_headers_are_all_closed_and_the_server_keeps_serving(header_server):
    socks = []
    for _ in range(200):
        sock = connect(header_server)
        sock.sendall(HEADERS_SO_FAR)
        socks.append(sock)
    assert header_server.get("/healthz").status_code == 200, "the server answers while they hang"
    deadline = time.monotonic() + 1 + SLACK
    for sock in socks:
        assert closed_within(sock, max(0.1, deadline - time.monotonic())) is not None
        sock.close()
    assert header_server.get("/healthz").status_code == 200


# --- bodies -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def body_server(tmp_path_factory):
    from conftest import _start

    server = _start(tmp_path_factory, "slow-bodies", {"MEDVAULT_BODY_PROGRESS_TIMEOUT": "1", "MEDVAULT_IDLE_TIMEOUT": "30"})
    yield server
    server.shutdown()


def upload_head(server, content_type: str, length: int) -> bytes:
    return (
        f"POST {API}/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {server.admin_token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


FIELDS = [("category", "lab-results"), ("entityType", "patient"), ("entityId", "P-SLOW")]


def test_a_body_that_stops_is_closed_and_nothing_is_kept(body_server):
    content_type, body = multipart_body(FIELDS, [("stalled.txt", b"results\n" * 100_000, "text/plain")])
    documents = body_server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"]
    sock = connect(body_server)
    sock.sendall(upload_head(body_server, content_type, len(body)) + body[:300_000])
    after = closed_within(sock, 1 + SLACK)
    assert after is not None, "a body that stops must be closed after MEDVAULT_BODY_PROGRESS_TIMEOUT"
    assert body_server.query("SELECT COUNT(*) AS n FROM documents")[0]["n"] == documents
    assert body_server.leftovers() == [], "the interrupted upload leaves nothing behind"


def test_a_body_trickled_a_few_bytes_at_a_time_is_closed(body_server):
    content_type, body = multipart_body(FIELDS, [("trickle.txt", b"results\n" * 100_000, "text/plain")])
    sock = connect(body_server)
    sock.sendall(upload_head(body_server, content_type, len(body)))
    started, sent, closed = time.monotonic(), 0, False
    while time.monotonic() - started < 1 + SLACK and not closed:
        try:
            sock.sendall(body[sent : sent + 50])
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        sent += 50
        closed = closed_within(sock, 0.1) is not None
    assert closed, "50 bytes every 0.1 s is far under 16 KiB per second: the connection must be closed"


def test_a_slow_but_steady_upload_survives(body_server):
    data = b"steady upload line\n" * 20_000  # 380 KB: 24 pieces of 16 KiB, one every 0.3 s, about 7 s in all
    content_type, body = multipart_body(FIELDS, [("steady.txt", data, "text/plain")])
    sock = connect(body_server)
    sock.sendall(upload_head(body_server, content_type, len(body)))
    for start in range(0, len(body), 16 * 1024):
        time.sleep(0.3)
        sock.sendall(body[start : start + 16 * 1024])
    answer = b""
    sock.settimeout(30)
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(65536)
        assert chunk, f"closed before the answer: {answer!r}"
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 201 "), answer[:300]


# --- the cap ----------------------------------------------------------------------------------------------


def test_connections_over_the_cap_are_refused(start_server):
    server = start_server({"MEDVAULT_MAX_CONNECTIONS": "3"}, name="capped")
    # The harness's keep-alive connection would count; its socket closes once its last response is collected.
    server.session.close()
    gc.collect()
    time.sleep(0.3)
    held = [connect(server) for _ in range(3)]
    time.sleep(0.3)
    extra = connect(server)
    received = b""
    try:
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        extra.settimeout(5)
        while chunk := extra.recv(65536):
            received += chunk
    except (ConnectionResetError, BrokenPipeError):
        pass
    assert b" 200 " not in received.split(b"\r\n", 1)[0], "a fourth connection must not be served"
    if received:
        assert received.startswith(b"HTTP/1.1 503 "), received[:300]
        assert b'"code":"too_many_connections"' in received
    assert all(still_open(sock) for sock in held), "the connections under the cap stay open"

    held.pop().close()
    deadline = time.monotonic() + 5
    answer = b""
    while not answer.startswith(b"HTTP/1.1 200 "):
        assert time.monotonic() < deadline, f"a freed place must be usable again: {answer[:100]!r}"
        time.sleep(0.1)
        sock = connect(server)
        try:
            answer = get_healthz(sock)
        except (AssertionError, ConnectionResetError, BrokenPipeError):
            answer = b""
        finally:
            sock.close()
    for sock in held:
        sock.close()
