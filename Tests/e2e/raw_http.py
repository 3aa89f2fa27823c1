"""A raw HTTP/1.1 client over a socket, for bodies that must not be sent whole: it streams an upload and
reports when the server answered, relative to what had been sent.
"""

from __future__ import annotations

import json
import select
import socket
import time
import uuid
from dataclasses import dataclass, field

from suite import API, USER_AGENT

# --- a raw HTTP/1.1 client for bodies that must not be sent whole --------------------------------


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    file_bytes_sent: int
    sending_finished: bool
    seconds_after_last_byte: float
    raw_head: bytes = field(repr=False, default=b"")

    def json(self) -> dict:
        return json.loads(self.body)


def stream_upload_until_response(
    port: int,
    fields: list[tuple[str, str]],
    file_name: str,
    head: bytes,
    file_bytes: int,
    wait: float = 20.0,
    chunk: int = 64 * 1024,
    token: str | None = None,
    on_progress=None,
) -> RawResponse:
    """POSTs an upload with chunked transfer encoding whose one file part is `head` followed by zeros up to
    `file_bytes`, then stops — no closing boundary, no final chunk — and waits for the answer.

    A server that needs the rest of the body before answering never answers: the caller sees a timeout.
    `token` is sent as `Authorization: Bearer <token>`; `on_progress(bytes_sent)` is called after each chunk (to act
    while the upload is under way).
    """
    boundary = "e2e-raw-" + uuid.uuid4().hex
    preamble = bytearray()
    for name, value in fields:
        preamble += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    preamble += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'.encode()
    preamble += b"Content-Type: application/octet-stream\r\n\r\n"
    content_type = f"multipart/form-data; boundary={boundary}"
    return stream_body_until_response(
        port, content_type, bytes(preamble), head, file_bytes, wait=wait, chunk=chunk, token=token, on_progress=on_progress
    )


def stream_body_until_response(
    port: int,
    content_type: str,
    prefix: bytes,
    head: bytes,
    total: int,
    wait: float = 20.0,
    chunk: int = 64 * 1024,
    token: str | None = None,
    filler: bytes = b"\x00",
    on_progress=None,
) -> RawResponse:
    """POSTs to the upload endpoint with chunked transfer encoding: `prefix`, then `head` followed by `filler`
    bytes until `head` and the filler make `total` bytes, then stops — no final chunk — and waits for the
    answer. `file_bytes_sent` of the answer counts `head` and the filler sent; `on_progress(bytes_sent)` is called
    after each chunk.
    """
    request_head = (
        f"POST {API}/upload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {USER_AGENT}\r\n"
        + (f"Authorization: Bearer {token}\r\n" if token else "")
        + f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()

    received = bytearray()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sent = 0
    finished = False
    try:
        # An empty chunk would end the body: send the first one only if it has bytes.
        sock.sendall(request_head + (_chunk(prefix + head) if prefix + head else b""))
        sent = len(head)
        fill = (filler * (chunk // len(filler) + 1))[:chunk]
        while sent < total:
            if _readable(sock):
                break
            piece = fill[: min(chunk, total - sent)]
            try:
                sock.sendall(_chunk(piece))
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                break
            sent += len(piece)
            if on_progress is not None:
                on_progress(sent)
        else:
            finished = True
        last_byte = time.monotonic()
        deadline = last_byte + wait
        while time.monotonic() < deadline:
            parsed = _parse_response(bytes(received))
            if parsed is not None:
                status, headers, body, raw_head = parsed
                return RawResponse(status, headers, body, sent, finished, time.monotonic() - last_byte, raw_head)
            ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                break
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
            if not data:
                parsed = _parse_response(bytes(received), eof=True)
                if parsed is not None:
                    status, headers, body, raw_head = parsed
                    return RawResponse(status, headers, body, sent, finished, time.monotonic() - last_byte, raw_head)
                break
            received += data
        raise AssertionError(
            f"no complete response within {wait}s after sending {sent} of the file's bytes "
            f"(received {len(received)} bytes: {bytes(received[:300])!r})"
        )
    finally:
        sock.close()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _readable(sock: socket.socket) -> bool:
    ready, _, _ = select.select([sock], [], [], 0)
    return bool(ready)


def _parse_response(data: bytes, eof: bool = False):
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    raw_head = data[:end]
    lines = raw_head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    rest = data[end + 4 :]
    if "content-length" in headers:
        length = int(headers["content-length"])
        return (status, headers, rest[:length], raw_head) if len(rest) >= length else None
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            line_end = rest.find(b"\r\n")
            if line_end < 0:
                return None
            size = int(rest[:line_end].split(b";")[0], 16)
            if size == 0:
                return status, headers, bytes(body), raw_head
            if len(rest) < line_end + 2 + size + 2:
                return None
            body += rest[line_end + 2 : line_end + 2 + size]
            rest = rest[line_end + 2 + size + 2 :]
    return (status, headers, rest, raw_head) if eof else None
