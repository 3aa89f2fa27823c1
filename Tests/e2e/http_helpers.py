"""Building requests and checking answers: multipart bodies built by hand, and the API's error envelope.
"""

from __future__ import annotations

import uuid

import requests

# --- request building and checking ---------------------------------------------------------------


def multipart_body(fields: list[tuple[str, str]], files: list[tuple], boundary: str | None = None) -> tuple[str, bytes]:
    """A multipart/form-data body (RFC 7578) with `fields` first, then one `file` part per entry.

    Built by hand rather than by requests so that file names reach the server byte for byte (control
    characters, path separators) and the part order is exactly the one the contract asks for.
    """
    boundary = boundary or "e2e-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += value.encode() + b"\r\n"
    for entry in files:
        file_name, data = entry[0], entry[1]
        part_type = entry[2] if len(entry) > 2 else "application/octet-stream"
        out += f"--{boundary}\r\n".encode()
        out += b'Content-Disposition: form-data; name="file"; filename="' + file_name.encode("utf-8") + b'"\r\n'
        out += f"Content-Type: {part_type}\r\n\r\n".encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


def assert_error(response: requests.Response, status: int, code: str) -> dict:
    """Checks the error envelope `{"error":{"code","message","requestId"}}` and returns `error`."""
    assert response.status_code == status, f"expected {status} {code}, got {response.status_code}: {response.text[:500]}"
    request_id = response.headers.get("X-Request-Id")
    assert request_id, "error response without X-Request-Id"
    assert "application/json" in response.headers.get("Content-Type", ""), response.headers
    error = response.json()["error"]
    assert error["code"] == code, f"expected code {code}, got {error}"
    assert isinstance(error["message"], str) and error["message"].strip()
    assert error["requestId"] == request_id
    return error


def plain_get(url: str, **kwargs) -> requests.Response:
    """GETs a URL (a pre-signed one) as a stranger would: no credentials, no cookies, no proxy."""
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=60, **kwargs)
