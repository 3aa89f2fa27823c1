#!/usr/bin/env python3
"""Is the server's memory flat while it streams a large document in and out?

Starts `medvault serve` on a fresh data directory, uploads a DICOM just under the 50 MiB limit as a
streamed (chunked) multipart body, downloads it back, and samples the server's VmRSS from
/proc/PID/status every 50 ms. Prints the baseline, the peak during upload and during download, and the
throughput of each direction. Not part of the test suite: run it by hand.

    scripts/test.sh python_env            # once, for .venv-test with requests
    .venv-test/bin/python bench/memory_flat.py [--bin PATH] [--size-mib 49.9] [--json bench/results/x.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "Tests" / "e2e"))

from samples import dicom_stream_head  # noqa: E402
from support import API, MedvaultServer, MiB  # noqa: E402

CHUNK = 256 * 1024


class RssSampler(threading.Thread):
    """Samples VmRSS (KiB) of one process every `interval` seconds, tagging each sample with a phase."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.phase = "baseline"
        self.samples: list[tuple[float, str, int]] = []
        self._halt = threading.Event()

    def rss_kib(self) -> int | None:
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except FileNotFoundError:
            return None
        return None

    def run(self) -> None:
        while not self._halt.is_set():
            value = self.rss_kib()
            if value is not None:
                self.samples.append((time.monotonic(), self.phase, value))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def of(self, phase: str) -> list[int]:
        return [value for _, p, value in self.samples if p == phase]


def multipart_stream(size: int, digest, progress: list[int]):
    """Yields a multipart body whose file part is a DICOM of `size` bytes, without holding it in memory."""
    boundary = "bench-" + uuid.uuid4().hex
    yield boundary
    fields = [("category", "imaging"), ("entityId", "P-BENCH"), ("entityType", "patient")]
    preamble = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n' for n, v in fields)
    preamble += f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-ct.dcm"\r\n'
    preamble += "Content-Type: application/dicom\r\n\r\n"
    head = dicom_stream_head(size)
    digest.update(head)
    yield preamble.encode() + head
    sent = len(head)
    block = os.urandom(CHUNK)  # incompressible, repeated: realistic bytes without a 50 MB buffer
    while sent < size:
        piece = block[: min(CHUNK, size - sent)]
        digest.update(piece)
        sent += len(piece)
        progress[0] = sent
        yield piece
    yield f"\r\n--{boundary}--\r\n".encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", help="medvault executable (default: $MEDVAULT_BIN or .build/debug/medvault)")
    parser.add_argument("--size-mib", type=float, default=50 - 1 / 16, help="DICOM size in MiB (default: 50 MiB - 64 KiB)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args()
    if args.bin:
        os.environ["MEDVAULT_BIN"] = args.bin
    size = int(args.size_mib * MiB)

    with tempfile.TemporaryDirectory(prefix="medvault-bench-") as scratch:
        server = MedvaultServer(Path(scratch) / "data", Path(scratch) / "logs").start()
        sampler = RssSampler(server.process.pid)
        sampler.start()
        try:
            time.sleep(1.0)  # idle baseline

            sampler.phase = "upload"
            upload_digest, progress = hashlib.sha256(), [0]
            body = multipart_stream(size, upload_digest, progress)
            boundary = next(body)
            started = time.monotonic()
            response = server.post(API + "/upload", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=600)
            upload_seconds = time.monotonic() - started
            if response.status_code != 201:
                print(f"upload failed: {response.status_code} {response.text[:500]}", file=sys.stderr)
                return 1
            entry = response.json()["files"][0]

            sampler.phase = "between"
            time.sleep(0.5)

            sampler.phase = "download"
            download_digest, received = hashlib.sha256(), 0
            started = time.monotonic()
            with server.get(API + "/download", params={"key": entry["key"]}, stream=True, timeout=600) as download:
                download.raise_for_status()
                for piece in download.iter_content(CHUNK):
                    download_digest.update(piece)
                    received += len(piece)
            download_seconds = time.monotonic() - started
            sampler.phase = "after"
            time.sleep(0.3)
        finally:
            try:
                sampler.stop()
            finally:
                server.stop()

    ok = received == size and download_digest.hexdigest() == upload_digest.hexdigest() == entry["sha256"]
    baseline = statistics.median(sampler.of("baseline") or [0])
    figures = {
        "sizeBytes": size,
        "baselineRssMiB": round(baseline / 1024, 1),
        "peakUploadRssMiB": round(max(sampler.of("upload") or [0]) / 1024, 1),
        "peakDownloadRssMiB": round(max(sampler.of("download") or [0]) / 1024, 1),
        "uploadMBps": round(size / 1e6 / upload_seconds, 1),
        "downloadMBps": round(size / 1e6 / download_seconds, 1),
        "uploadSeconds": round(upload_seconds, 2),
        "downloadSeconds": round(download_seconds, 2),
        "samples": len(sampler.samples),
        "roundTripIntact": ok,
    }
    print(f"file size              {size / MiB:8.2f} MiB  ({size} bytes)")
    print(f"baseline RSS           {figures['baselineRssMiB']:8.1f} MiB")
    print(f"peak RSS during upload {figures['peakUploadRssMiB']:8.1f} MiB  (+{figures['peakUploadRssMiB'] - figures['baselineRssMiB']:.1f})")
    print(f"peak RSS during download {figures['peakDownloadRssMiB']:6.1f} MiB  (+{figures['peakDownloadRssMiB'] - figures['baselineRssMiB']:.1f})")
    print(f"upload                 {figures['uploadMBps']:8.1f} MB/s  ({upload_seconds:.2f} s)")
    print(f"download               {figures['downloadMBps']:8.1f} MB/s  ({download_seconds:.2f} s)")
    print(f"round trip intact      {'yes' if ok else 'NO'}  ({len(sampler.samples)} RSS samples)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
