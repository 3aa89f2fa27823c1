"""A TCP proxy on 127.0.0.1 in front of an S3 peer that misbehaves on command, for the fault-injection tests.

medvault is pointed at the proxy (`AWS_ENDPOINT_URL_S3`); the proxy relays bytes to the real peer unchanged
(the `Host` header medvault signed arrives as signed, so strict SigV4 checks still pass) until a test
switches it into one of its faults:

- `drop()`: every open connection is closed, and every new one is closed as soon as it is accepted;
- `stall()`: nothing more is relayed in either direction, on open connections and new ones, until the
  fault ends (a peer that hangs: only medvault's deadlines end the wait);
- `answer(status, count)`: every new request is answered with `status` and an S3 `<Error>` body by the proxy
  itself (500 InternalError, 503 ServiceUnavailable…), on a connection it then closes; open connections
  are closed first so that pooled ones cannot slip past. With `count`, only that many requests are
  answered so, and the proxy passes traffic again afterwards (a transient failure).
- `pass_through()`: relay again; connections held by a stall are closed (their requests timed out long ago).

Everything runs on daemon threads of the test process; `stop()` closes every socket.
"""

from __future__ import annotations

import socket
import threading
import time

_ERROR_CODES = {500: "InternalError", 502: "BadGateway", 503: "ServiceUnavailable", 504: "GatewayTimeout"}
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


class _Connection:
    """One accepted client connection and, once relaying, its upstream connection."""

    def __init__(self, client: socket.socket):
        self.client = client
        self.upstream: socket.socket | None = None
        self.closed = threading.Event()

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for sock in (self.client, self.upstream):
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


class FaultProxy:
    """See the module's documentation. Use as a context manager, or call `start()` and `stop()`."""

    def __init__(self, upstream: str):
        host, _, port = upstream.removeprefix("http://").rstrip("/").partition(":")
        self.upstream = (host, int(port or 80))
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._mode = "pass"
        self._status = 0
        self._remaining: int | None = None
        self._connections: set[_Connection] = set()
        self._stopped = threading.Event()
        #: Requests the proxy answered itself, for tests that check a fault really hit.
        self.answered = 0
        #: Connections accepted, whatever their fate.
        self.accepted = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FaultProxy":
        threading.Thread(target=self._accept_loop, name="fault-proxy-accept", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        self._close_all()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- commands ---------------------------------------------------------------------------------

    def pass_through(self) -> None:
        with self._lock:
            stalled = self._mode == "stall"
        if stalled:
            # Closed while still stalled: a pump that saw the mode change first would send on the bytes it holds,
            # and a request medvault gave up on long ago would reach the peer after all.
            self._close_all()
        with self._lock:
            self._mode, self._remaining = "pass", None

    def drop(self) -> None:
        with self._lock:
            self._mode, self._remaining = "drop", None
        self._close_all()

    def stall(self) -> None:
        with self._lock:
            self._mode, self._remaining = "stall", None

    def answer(self, status: int, count: int | None = None) -> None:
        with self._lock:
            self._mode, self._status, self._remaining = "answer", status, count
        self._close_all()

    @property
    def mode(self) -> str:
        return self._mode

    # -- machinery --------------------------------------------------------------------------------

    def _close_all(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.close()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection = _Connection(client)
            with self._lock:
                self.accepted += 1
                mode, status = self._mode, self._status
                if mode == "answer":
                    if self._remaining is not None:
                        self._remaining -= 1
                        if self._remaining <= 0:
                            self._mode, self._remaining = "pass", None
                self._connections.add(connection)
            if mode == "drop":
                self._forget(connection)
            elif mode == "answer":
                threading.Thread(target=self._answer, args=(connection, status), daemon=True).start()
            elif mode == "pass":
                threading.Thread(target=self._relay, args=(connection,), daemon=True).start()
            # stall: held, unread, until the mode changes or the proxy stops

    def _forget(self, connection: _Connection) -> None:
        connection.close()
        with self._lock:
            self._connections.discard(connection)

    def _relay(self, connection: _Connection) -> None:
        try:
            connection.upstream = socket.create_connection(self.upstream, timeout=10)
            connection.upstream.settimeout(None)
            connection.upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            self._forget(connection)
            return
        if connection.closed.is_set():  # a command closed it while we connected
            self._forget(connection)
            return
        back = threading.Thread(target=self._pump, args=(connection, connection.upstream, connection.client), daemon=True)
        back.start()
        self._pump(connection, connection.client, connection.upstream)
        back.join()
        self._forget(connection)

    def _pump(self, connection: _Connection, source: socket.socket, destination: socket.socket) -> None:
        """Copies `source` to `destination`; while the proxy stalls, holds what it read and reads no more."""
        try:
            while not connection.closed.is_set():
                data = source.recv(65536)
                if not data:
                    break
                while self._mode == "stall" and not connection.closed.is_set():
                    time.sleep(0.01)
                if connection.closed.is_set():
                    break
                destination.sendall(data)
        except OSError:
            pass
        connection.close()

    def _answer(self, connection: _Connection, status: int) -> None:
        """Reads one request (head, and a `Content-Length` body) and answers it with `status` itself."""
        sock = connection.client
        sock.settimeout(10)
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                piece = sock.recv(65536)
                if not piece:
                    raise OSError("client went away")
                data += piece
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method = lines[0].split(" ", 1)[0]
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            remaining = length - len(rest)
            while remaining > 0:
                piece = sock.recv(min(remaining, 1 << 20))
                if not piece:
                    break
                remaining -= len(piece)
            code = _ERROR_CODES.get(status, "InternalError")
            body = (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                f"<Message>injected by the fault proxy</Message><RequestId>fault-proxy</RequestId></Error>"
            ).encode()
            response = (
                f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nContent-Type: application/xml\r\n"
                f"Content-Length: {len(body)}\r\nx-amz-request-id: fault-proxy\r\nConnection: close\r\n\r\n"
            ).encode()
            sock.sendall(response + (b"" if method == "HEAD" else body))
            with self._lock:
                self.answered += 1
        except OSError:
            pass
        self._forget(connection)
