"""Fault injection: what medvault does when storage fails under it, or when it dies mid-upload.

- S3 (ministack, moto): a `FaultProxy` (fault_proxy.py) between medvault and the peer drops connections,
  stalls, or answers 500/503. Every upload and download during a fault ends in 503 `storage_unavailable`
  with `Retry-After` within a bounded time (the S3 timeouts are made short through configuration), or
  succeeds; never a 500, an object without a document row, or a row without an object (the bucket is read
  with boto3 behind the proxy's back, the index through the API).
- Both backends: `kill -9` while the second file of an upload arrives, then a restart, leaves no orphaned
  object: the first file's upload intent is found and its object removed.
- Local store: a full disk refuses uploads with 507 `insufficient_storage` and loses nothing. The data
  directory is a small tmpfs where this machine lets us mount one (root); otherwise ENOSPC is injected at
  the file-system seam by an LD_PRELOAD shim built here (`E2E_DISK_FULL=shim` forces that path).
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import json
import os
import select
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests

import samples
from backends import is_s3, peer_environment
from fault_proxy import FaultProxy
from support import API, AUTH_ENV, USER_AGENT, MiB, MedvaultServer, assert_error, launch_server, multipart_body

pytestmark = pytest.mark.s3_semantics("failures of the S3 server")

# Short S3 deadlines, so that a stalled peer answers within FAULT_BOUND (defaults: 15 s, 120 s, 300 s).
SHORT_S3_TIMEOUTS = {"MEDVAULT_S3_REQUEST_TIMEOUT": "2", "MEDVAULT_S3_TRANSFER_TIMEOUT": "3", "MEDVAULT_S3_TOTAL_TIMEOUT": "6"}
# The longest a request may take to end while the peer misbehaves: the slowest case, a stall, waits out the
# total deadline (6 s) once; the rest is room for a slow machine.
FAULT_BOUND = 20.0
# Abandoned-upload sweeps run once a second on the servers that test them.
QUICK_SWEEP = {"MEDVAULT_UPLOAD_INTENT_GRACE": "1"}

FAULTS = {
    "drop": lambda proxy: proxy.drop(),
    "stall": lambda proxy: proxy.stall(),
    "500": lambda proxy: proxy.answer(500),
    "503": lambda proxy: proxy.answer(503),
}


# --- helpers ---------------------------------------------------------------------------------------------


def wait_for(condition, timeout: float, message: str):
    """Polls `condition` until it returns something truthy; fails with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} (after {timeout}s)")
        time.sleep(0.1)


def objects_under(server: MedvaultServer, prefix: str) -> list[str]:
    return [key for key in server.stored_objects() if key.startswith(prefix)]


def assert_storage_unavailable(response) -> None:
    assert_error(response, 503, "storage_unavailable")
    retry_after = response.headers.get("Retry-After", "")
    assert retry_after.isdigit() and int(retry_after) > 0, f"503 without a usable Retry-After: {retry_after!r}"


def assert_index_matches_storage(server: MedvaultServer, prefix: str, timeout: float = 0.0) -> None:
    """Every document listed under `prefix` has its object, and every object there has its document. With a
    `timeout`, waits for a sweep to make it so."""

    def mismatch() -> tuple[set[str], set[str]]:
        documents = {entry["key"] for entry in server.list_all(prefix=prefix)}
        stored = set(objects_under(server, prefix))
        return documents - stored, stored - documents

    deadline = time.monotonic() + timeout
    while True:
        rows_without_objects, orphans = mismatch()
        if not rows_without_objects and not orphans:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"rows without objects: {sorted(rows_without_objects)}; objects without rows: {sorted(orphans)}")
        time.sleep(0.2)


def open_intents(server: MedvaultServer) -> list[dict]:
    return server.query("SELECT key, started_at, abandoned_at FROM upload_intents")


def upload(server: MedvaultServer, files: list[tuple[str, bytes]], entity_id: str, timeout: float) -> requests.Response:
    fields = [("category", "medical-records"), ("entityId", entity_id), ("entityType", "patient")]
    content_type, body = multipart_body(fields, files)
    return server.post(API + "/upload", data=body, headers={"Content-Type": content_type}, timeout=timeout)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def dicom_of_size(size: int) -> bytes:
    """A DICOM whose pixel data is not all zeros, so that a part stored twice or out of order would show."""
    head = samples.dicom_stream_head(size)
    tail = bytearray(size - len(head))
    for offset in range(0, len(tail), 256 * 1024):
        tail[offset : offset + 16] = offset.to_bytes(16, "big")
    return head + bytes(tail)


class StreamedUpload:
    """An upload sent piece by piece over its own connection (chunked transfer coding), so that a test can act
    between its files: inject a fault, kill the server, or fill the disk."""

    def __init__(self, server: MedvaultServer, entity_id: str, category: str = "medical-records"):
        self.boundary = "e2e-stream-" + uuid.uuid4().hex
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = (
            f"POST {API}/upload HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUser-Agent: {USER_AGENT}\r\n"
            f"Authorization: Bearer {server.admin_token}\r\n"
            f"Content-Type: multipart/form-data; boundary={self.boundary}\r\nTransfer-Encoding: chunked\r\n\r\n"
        ).encode()
        fields = b"".join(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in (("category", category), ("entityId", entity_id), ("entityType", "patient"))
        )
        self.sock.sendall(head)
        self.send(fields)
        self.in_file = False

    def send(self, data: bytes) -> None:
        if data:
            self.sock.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def begin_file(self, name: str) -> None:
        """Starts a `file` part; the delimiter before it ends the previous file, which the server then stores."""
        self.send((b"\r\n" if self.in_file else b"") + f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode())
        self.in_file = True

    def send_until_answered(self, zeros: int, chunk: int = 256 * 1024) -> bool:
        """Sends up to `zeros` zero bytes, stopping early if the server answers; True if it answered."""
        sent = 0
        while sent < zeros:
            if select.select([self.sock], [], [], 0)[0]:
                return True
            piece = min(chunk, zeros - sent)
            try:
                self.send(b"\x00" * piece)
            except (BrokenPipeError, ConnectionResetError):
                return True
            sent += piece
        return False

    def finish(self) -> http.client.HTTPResponse:
        """Ends the form and the body (unless the server already answered) and reads the answer."""
        try:
            self.send((b"\r\n" if self.in_file else b"") + f"--{self.boundary}--\r\n".encode())
            self.sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        return self.answer()

    def answer(self) -> http.client.HTTPResponse:
        response = http.client.HTTPResponse(self.sock)
        response.begin()
        response.body = response.read()
        return response

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "StreamedUpload":
        return self

    def __exit__(self, *exc) -> None:
        self.close()  # also when a test fails half-way: an open upload would hold the server's shutdown


def assert_raw_error(response: http.client.HTTPResponse, status: int, code: str) -> None:
    assert response.status == status, f"expected {status} {code}, got {response.status}: {response.body[:300]!r}"
    assert json.loads(response.body)["error"]["code"] == code


# --- S3: a peer that misbehaves ----------------------------------------------------------------------------

s3_only = pytest.mark.s3_only("faults of the S3 peer, injected by a proxy in front of it")


@pytest.fixture(scope="module")
def proxy(backend):
    if not is_s3(backend):
        pytest.skip("needs an S3 peer")
    with FaultProxy(peer_environment(backend)["AWS_ENDPOINT_URL_S3"]) as started:
        yield started


@pytest.fixture
def fault(proxy):
    """The proxy, passing traffic at the start and again at the end of the test."""
    proxy.pass_through()
    yield proxy
    proxy.pass_through()


def server_behind(proxy: FaultProxy, tmp_path_factory, label: str, env: dict | None = None) -> MedvaultServer:
    return launch_server(tmp_path_factory.mktemp(label), label, {"AWS_ENDPOINT_URL_S3": proxy.url} | SHORT_S3_TIMEOUTS | dict(env or {}))


@pytest.fixture(scope="module")
def faulty(proxy, tmp_path_factory):
    """A server whose S3 calls go through the proxy, with short S3 deadlines."""
    server = server_behind(proxy, tmp_path_factory, "faults")
    yield server
    proxy.pass_through()
    server.shutdown()


@pytest.fixture(scope="module")
def sweeping(proxy, tmp_path_factory):
    """Like `faulty`, with an abandoned-upload sweep every second (too eager for the other tests' uploads)."""
    server = server_behind(proxy, tmp_path_factory, "faults-swept", QUICK_SWEEP)
    yield server
    proxy.pass_through()
    server.shutdown()


@s3_only
@pytest.mark.parametrize("name", FAULTS)
def test_an_upload_during_a_fault_is_refused_with_503_and_stores_nothing(faulty, fault, name):
    prefix = f"patients/P-UP-{name}/"
    FAULTS[name](fault)
    response, elapsed = timed(lambda: upload(faulty, [("during-fault.pdf", samples.pdf(name))], f"P-UP-{name}", timeout=FAULT_BOUND + 30))
    fault.pass_through()

    assert_storage_unavailable(response)
    assert elapsed < FAULT_BOUND, f"the refusal took {elapsed:.1f}s"
    assert_index_matches_storage(faulty, prefix)
    assert objects_under(faulty, prefix) == []
    rows = faulty.audit_rows(response.headers["X-Request-Id"])
    assert [(r["outcome"], r["http_status"], r["error_code"]) for r in rows] == [("failed", 503, "storage_unavailable")]
    # The same upload succeeds once the peer is back.
    stored = faulty.upload_ok([("after-fault.pdf", samples.pdf(name))], entity_id=f"P-UP-{name}")
    assert objects_under(faulty, prefix) == [stored[0]["key"]]


@s3_only
@pytest.mark.parametrize("name", FAULTS)
def test_a_download_during_a_fault_is_refused_with_503_or_served_whole(faulty, fault, name):
    data = samples.pdf_of_size(300_000)
    entry = faulty.upload_ok([("before-fault.pdf", data)], entity_id=f"P-DOWN-{name}")[0]
    FAULTS[name](fault)
    response, elapsed = timed(lambda: faulty.get(API + "/download", params={"key": entry["key"]}, timeout=FAULT_BOUND + 30))
    fault.pass_through()

    if response.status_code == 200:
        assert response.content == data
    else:
        assert_storage_unavailable(response)
    assert elapsed < FAULT_BOUND, f"the answer took {elapsed:.1f}s"
    assert faulty.download(entry["key"]).content == data, "the document is intact once the peer is back"


@s3_only
@pytest.mark.parametrize("status", [500, 503])
def test_a_transient_error_is_retried(faulty, fault, status):
    data = samples.pdf(f"retried after {status}")
    answered = fault.answered
    fault.answer(status, count=1)
    entry = faulty.upload_ok([("retried.pdf", data)], entity_id="P-RETRY")[0]
    assert fault.answered == answered + 1, "the proxy failed exactly one request"
    fault.answer(status, count=1)
    response = faulty.download(entry["key"])
    assert response.status_code == 200 and response.content == data
    assert fault.answered == answered + 2
    assert_index_matches_storage(faulty, "patients/P-RETRY/")


@s3_only
def test_a_download_that_stalls_mid_body_ends_within_the_deadline(faulty, fault):
    """Once the headers are out, medvault cannot change its answer: the body ends short (the client sees a
    broken transfer, never a complete-looking wrong file), and it ends within the read deadline."""
    data = dicom_of_size(45 * MiB)
    entry = faulty.upload_ok([("stalls.dcm", data)], category="imaging", entity_id="P-STALL")[0]
    headers = {"Authorization": "Bearer " + faulty.admin_token}
    with faulty.session.get(faulty.url(API + "/download"), params={"key": entry["key"]}, headers=headers, stream=True, timeout=60) as response:
        assert response.status_code == 200
        assert int(response.headers["Content-Length"]) == len(data)
        first = response.raw.read(1 * MiB)
        fault.stall()
        started = time.monotonic()
        received, failure = len(first), None
        try:
            while chunk := response.raw.read(256 * 1024):
                received += len(chunk)
        except Exception as error:  # noqa: BLE001 - any broken-transfer error will do, but not a client timeout
            failure = error
        elapsed = time.monotonic() - started
    fault.pass_through()

    assert received < len(data), "the stall came too late to test anything: the whole body was already buffered"
    assert failure is not None, "a short body must fail the transfer"
    assert "timed out" not in str(failure).lower(), f"medvault never ended the transfer: {failure!r}"
    assert elapsed < FAULT_BOUND, f"the transfer hung for {elapsed:.1f}s"
    assert hashlib.sha256(faulty.download(entry["key"]).content).hexdigest() == hashlib.sha256(data).hexdigest()


@s3_only
def test_a_fault_during_the_second_file_leaves_no_orphan(sweeping, fault):
    """The first file is stored, then the peer fails: the request ends in 503 and the first object, which could
    not be removed while the peer was down, is removed by the abandoned-upload sweep once it is back."""
    prefix = "patients/P-HALF/"
    with StreamedUpload(sweeping, "P-HALF") as streamed:
        streamed.begin_file("first.pdf")
        streamed.send(samples.pdf("first"))
        streamed.begin_file("second.pdf")
        wait_for(lambda: objects_under(sweeping, prefix), 20, "the first file was never stored")
        fault.answer(503)
        streamed.send(samples.pdf("second"))
        response = streamed.finish()
    assert_raw_error(response, 503, "storage_unavailable")
    assert response.getheader("Retry-After", "").isdigit()
    fault.pass_through()

    assert_index_matches_storage(sweeping, prefix, timeout=30)
    assert objects_under(sweeping, prefix) == []
    wait_for(lambda: open_intents(sweeping) == [], 10, "the upload intent outlived its clean-up")


@s3_only
def test_a_multipart_upload_cut_by_a_fault_leaves_no_incomplete_upload(sweeping, fault):
    """The connection drops after the first part is stored: the writer's own abort cannot reach the peer either,
    so the incomplete multipart upload stays until the sweep aborts it once the peer is back."""
    prefix = "patients/P-CUT/"
    data = dicom_of_size(20 * MiB)
    with StreamedUpload(sweeping, "P-CUT", category="imaging") as streamed:
        streamed.begin_file("cut.dcm")
        streamed.send(data[: 12 * MiB])
        wait_for(lambda: [u for u in sweeping.bucket.pending_uploads() if u["Key"].startswith(prefix)], 20, "no multipart upload started")
        fault.drop()
        streamed.send(data[12 * MiB :])
        response = streamed.finish()
    assert_raw_error(response, 503, "storage_unavailable")
    fault.pass_through()

    wait_for(lambda: not [u for u in sweeping.bucket.pending_uploads() if u["Key"].startswith(prefix)], 30, "the incomplete upload stayed")
    assert_index_matches_storage(sweeping, prefix)
    assert objects_under(sweeping, prefix) == []
    wait_for(lambda: open_intents(sweeping) == [], 10, "the upload intent outlived its clean-up")


# --- both backends: kill -9 in the middle of an upload ------------------------------------------------------


def test_kill_during_the_second_file_leaves_no_orphan(start_server, backend):
    server = start_server(QUICK_SWEEP, name="kill-mid-upload")
    kept_data = samples.pdf("kept across the crash")
    kept = server.upload_ok([("kept.pdf", kept_data)], entity_id="P-KEPT")[0]
    prefix = "patients/P-KILL/"

    with StreamedUpload(server, "P-KILL", category="imaging") as streamed:
        streamed.begin_file("first.pdf")
        streamed.send(samples.pdf("first file, stored before the crash"))
        streamed.begin_file("second.dcm")
        streamed.send(dicom_of_size(20 * MiB)[: 12 * MiB])  # past the first 8 MiB part: on S3 a multipart upload is under way
        wait_for(lambda: objects_under(server, prefix), 20, "the first file was never stored")
        if is_s3(backend):
            wait_for(server.bucket.pending_uploads, 20, "the second file's multipart upload never started")
        server.process.kill()
        server.process.wait(timeout=10)
    assert objects_under(server, prefix), "the crash left the first file's object (the case under test)"

    server.start()
    assert_index_matches_storage(server, prefix, timeout=30)
    assert objects_under(server, prefix) == []
    if is_s3(backend):
        assert server.bucket.wait_no_pending_uploads(30) == [], "the crashed multipart upload is aborted too"
    wait_for(lambda: open_intents(server) == [], 10, "the upload intents outlived their clean-up")
    assert server.download(kept["key"]).content == kept_data, "a committed document is never swept"
    assert_index_matches_storage(server, "patients/")
    assert server.cli(["audit", "verify"]).returncode == 0


def test_an_upload_that_outlives_the_grace_is_refused_and_stores_nothing(start_server):
    """The sweep claims the intent of a file stored longer than the grace ago while its request still runs: that
    request can then no longer commit (408 `upload_expired`), so no document row ever points at a swept object."""
    server = start_server(QUICK_SWEEP, name="outlived")
    prefix = "patients/P-SLOW/"
    with StreamedUpload(server, "P-SLOW") as streamed:
        streamed.begin_file("first.pdf")
        streamed.send(samples.pdf("first"))
        streamed.begin_file("second.pdf")
        wait_for(lambda: objects_under(server, prefix), 20, "the first file was never stored")
        # Claimed (abandoned_at set), or already cleared: either way the first file's intent is no longer open.
        wait_for(lambda: all(i["abandoned_at"] is not None for i in open_intents(server)), 20, "the sweep never claimed the intent")
        streamed.send(samples.pdf("second"))
        response = streamed.finish()

    assert_raw_error(response, 408, "upload_expired")
    rows = server.audit_rows(response.getheader("X-Request-Id"))
    assert [(r["outcome"], r["http_status"], r["error_code"]) for r in rows] == [("rejected", 408, "upload_expired")]
    assert_index_matches_storage(server, prefix, timeout=10)
    assert objects_under(server, prefix) == []
    wait_for(lambda: open_intents(server) == [], 10, "the upload intents outlived their clean-up")


def test_an_upload_within_the_grace_is_not_swept(start_server):
    """A restart sweeps only intents older than the grace: an upload in flight on another node (here: one
    whose first file was stored just now) keeps its objects and commits."""
    server = start_server(name="grace")
    with StreamedUpload(server, "P-GRACE") as streamed:
        streamed.begin_file("first.pdf")
        streamed.send(samples.pdf("first"))
        streamed.begin_file("second.pdf")
        wait_for(lambda: objects_under(server, "patients/P-GRACE/"), 20, "the first file was never stored")
        other_node = MedvaultServer(server.data_dir, server.log_dir.parent / "other-node-logs", server.env_overrides, server.bucket)
        other_node.start()  # a second process on the same data and bucket, as another node would be
        try:
            time.sleep(1)
            streamed.send(samples.pdf("second"))
            response = streamed.finish()
        finally:
            other_node.stop()
    assert response.status == 201, response.body[:300]
    assert_index_matches_storage(server, "patients/P-GRACE/")
    assert len(objects_under(server, "patients/P-GRACE/")) == 2


# --- local store: a full disk -------------------------------------------------------------------------------

ENOSPC_SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Fails writes to files under $E2E_ENOSPC_PREFIX with ENOSPC while the file $E2E_ENOSPC_FLAG exists. */
static int full(int fd) {
    const char *prefix = getenv("E2E_ENOSPC_PREFIX"), *flag = getenv("E2E_ENOSPC_FLAG");
    char link[64], path[4096];
    if (!prefix || !flag || access(flag, F_OK) != 0) return 0;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0) return 0;
    path[n] = 0;
    return strncmp(path, prefix, strlen(prefix)) == 0;
}

#define SHIM(name, type)                                                                   \
    ssize_t name(int fd, const void *buf, size_t count, type offset) {                     \
        static ssize_t (*real)(int, const void *, size_t, type);                           \
        if (!real) real = (ssize_t (*)(int, const void *, size_t, type))dlsym(RTLD_NEXT, #name); \
        if (full(fd)) { errno = ENOSPC; return -1; }                                       \
        return real(fd, buf, count, offset);                                               \
    }
SHIM(pwrite, off_t)
SHIM(pwrite64, off64_t)

ssize_t write(int fd, const void *buf, size_t count) {
    static ssize_t (*real)(int, const void *, size_t);
    if (!real) real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (full(fd)) { errno = ENOSPC; return -1; }
    return real(fd, buf, count);
}
"""


class FullDisk:
    """The data directory of a server whose disk can be filled: a real tmpfs, or the ENOSPC shim."""

    TMPFS_BYTES = 40 * MiB

    def __init__(self, root: Path):
        self.root = root
        self.mount_point = root / "disk"
        self.mount_point.mkdir()
        self.mounted = False
        self.flag = root / "disk-is-full"
        self.env: dict[str, str] = {}
        forced_shim = os.environ.get("E2E_DISK_FULL") == "shim"
        if not forced_shim and os.geteuid() == 0 and shutil.which("mount"):
            mounted = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={self.TMPFS_BYTES},mode=0700", "tmpfs", str(self.mount_point)], capture_output=True
            )
            self.mounted = mounted.returncode == 0
        if not self.mounted:
            compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
            if compiler is None:
                pytest.skip("cannot mount a tmpfs here and no C compiler to build the ENOSPC shim")
            library = root / "enospc.so"
            source = root / "enospc.c"
            source.write_text(ENOSPC_SHIM)
            built = subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(library), str(source), "-ldl"], capture_output=True, text=True)
            assert built.returncode == 0, built.stderr
            self.env = {
                "LD_PRELOAD": str(library),
                "E2E_ENOSPC_PREFIX": str(self.data_dir / "tmp") + "/",
                "E2E_ENOSPC_FLAG": str(self.flag),
            }

    @property
    def data_dir(self) -> Path:
        return self.mount_point / "data"

    @property
    def kind(self) -> str:
        return "tmpfs" if self.mounted else "shim"

    def fill(self) -> None:
        """Leaves no free byte: a filler file on the tmpfs, or the shim's flag."""
        if not self.mounted:
            self.flag.touch()
            return
        descriptor = os.open(self.mount_point / "filler", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            block = MiB
            while block > 0:  # halve the block on ENOSPC until not even one byte fits
                try:
                    os.write(descriptor, b"\xff" * block)
                except OSError as error:
                    assert error.errno == errno.ENOSPC, error
                    block //= 2
        finally:
            os.close(descriptor)
        os.sync()

    def free(self) -> None:
        if self.mounted:
            (self.mount_point / "filler").unlink(missing_ok=True)
        else:
            self.flag.unlink(missing_ok=True)

    def release(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.mount_point)], capture_output=True)


@pytest.fixture
def full_disk_server(tmp_path):
    disk = FullDisk(tmp_path)
    server = MedvaultServer(disk.data_dir, tmp_path / "logs", AUTH_ENV | disk.env)
    try:
        server.start()
        yield server, disk
    finally:
        server.shutdown()
        disk.release()


def over_the_disk(server: MedvaultServer, disk: FullDisk, entity_id: str, first: bytes | None = None):
    """Streams an upload (an optional small first file, then a DICOM bigger than the tmpfs) until the server
    answers; on the shim the disk is made full before the DICOM's bytes."""
    with StreamedUpload(server, entity_id, category="imaging") as streamed:
        if first is not None:
            streamed.begin_file("first.pdf")
            streamed.send(first)
        streamed.begin_file("too-big.dcm")
        if disk.kind == "shim":
            if first is not None:
                wait_for(lambda: objects_under(server, f"patients/{entity_id}/"), 20, "the first file was never stored")
            disk.fill()
        try:
            streamed.send(samples.dicom_stream_head(48 * MiB))
            answered = streamed.send_until_answered(48 * MiB)
            return streamed.answer() if answered else streamed.finish()
        finally:
            disk.free()


@pytest.mark.local_only("the local store's own disk")
def test_a_full_disk_refuses_with_507_and_loses_nothing(full_disk_server):
    server, disk = full_disk_server
    kept = {}
    for name in ("before-1.pdf", "before-2.pdf"):
        data = samples.pdf_of_size(200_000)
        kept[server.upload_ok([(name, data)], entity_id="P-DISK")[0]["key"]] = data

    # A file bigger than the free space: refused when the disk fills, its temporary file removed.
    response = over_the_disk(server, disk, "P-DISK-BIG")
    assert_raw_error(response, 507, "insufficient_storage")
    rows = server.audit_rows(response.getheader("X-Request-Id"))
    assert [(r["outcome"], r["http_status"], r["error_code"]) for r in rows] == [("failed", 507, "insufficient_storage")]
    assert server.leftovers() == [], "the refused file's temporary file is removed"

    # A small first file, then one that does not fit: all or nothing, no orphan of the first.
    response = over_the_disk(server, disk, "P-DISK-TWO", first=samples.pdf("fits"))
    assert_raw_error(response, 507, "insufficient_storage")
    assert objects_under(server, "patients/P-DISK-TWO/") == []
    assert open_intents(server) == []

    # Nothing free at all: still a 507 for uploads, and the documents stay readable.
    disk.fill()
    try:
        response = upload(server, [("no-room.pdf", samples.pdf("no room"))], "P-DISK-FULL", timeout=30)
        assert_error(response, 507, "insufficient_storage")
        for key, data in kept.items():
            response = server.download(key)
            if response.status_code == 200:
                assert response.content == data
            else:
                assert_error(response, 507, "insufficient_storage")  # the read's audit row found no room
    finally:
        disk.free()

    # Room again: uploads work, nothing was lost, the index and the store agree, the audit chain holds.
    server.upload_ok([("after.pdf", samples.pdf("after"))], entity_id="P-DISK")
    for key, data in kept.items():
        assert server.download(key).content == data
    assert_index_matches_storage(server, "patients/")
    assert server.leftovers() == []
    assert server.cli(["audit", "verify"]).returncode == 0, f"audit chain broken on {disk.kind}"
