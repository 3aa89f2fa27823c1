#!/usr/bin/env python3
"""What previews cost an upload: per-size preview time and upload throughput with and without previews.

Run through bench/media/run.sh; see that file.

Two `medvault serve` on the local store, started side by side from the same release binary: one makes previews
(the default), one runs with MEDVAULT_PREVIEWS=off. Previews are made inside the upload request, after the document
is stored, so the difference between the two servers' upload latencies is the time to read the stored file back,
render the thumbnail and the phone rendition with libvips and store both. For each sample (JPEG photos of 1, 4 and
12 MP, a one-page PDF) one client uploads it UPLOADS times to each server in turn; the table gives median latencies.
Then CLIENTS concurrent clients upload the 4 MP photo for SECONDS seconds to each server: uploads/s with and without.
"""

from __future__ import annotations

import argparse
import http.client
import io
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "transfer"))
sys.path.insert(0, str(REPO / "Tests" / "e2e"))

from samples import pdf  # noqa: E402
from transfer import API, Medvault, log  # noqa: E402


def photo(megapixels: int) -> bytes:
    """A 4:3 JPEG of about `megapixels`, gradients plus sensor-like noise so it compresses like a photo."""
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    base = Image.merge("RGB", [Image.linear_gradient("L").resize((width, height)),
                               Image.linear_gradient("L").rotate(90).resize((width, height)),
                               Image.effect_noise((width, height), 24)])
    out = io.BytesIO()
    base.save(out, "JPEG", quality=85)
    return out.getvalue()


def multipart(name: str, data: bytes, content_type: str) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    fields = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in (("category", "medical-records"), ("entityType", "patient"), ("entityId", "P-BENCH"))
    )
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'
    return f"multipart/form-data; boundary={boundary}", fields + head.encode() + data + f"\r\n--{boundary}--\r\n".encode()


def upload(server: Medvault, body: tuple[str, bytes]) -> float:
    """Seconds for one upload, which must answer 201."""
    content_type, payload = body
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        start = time.perf_counter()
        conn.request("POST", f"{API}/upload", body=payload, headers={**server.auth_headers, "Content-Type": content_type})
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
    finally:
        conn.close()
    if response.status != 201:
        raise RuntimeError(f"upload to {server.name} answered {response.status}")
    return elapsed


def throughput(server: Medvault, body: tuple[str, bytes], clients: int, seconds: float) -> float:
    """Uploads per second from `clients` threads uploading `body` back to back for `seconds`."""
    done = [0] * clients
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        while time.perf_counter() < deadline:
            upload(server, body)
            done[index] += 1

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--uploads", type=int, default=7)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    samples = {f"JPEG {mp} MP": (f"photo-{mp}.jpg", photo(mp), "image/jpeg") for mp in (1, 4, 12)}
    samples["PDF, 1 page"] = ("letter.pdf", pdf("benchmark page"), "application/pdf")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with Medvault(args.bin, root, "previews", None) as on, Medvault(args.bin, root, "off", {"MEDVAULT_PREVIEWS": "off"}) as off:
            print("| sample | bytes | upload, previews off | upload, previews on | preview cost |")
            print("|---|---|---|---|---|")
            for label, (name, data, content_type) in samples.items():
                body = multipart(name, data, content_type)
                upload(on, body), upload(off, body)  # warm-up
                with_previews, without = [], []
                for _ in range(args.uploads):
                    with_previews.append(upload(on, body))
                    without.append(upload(off, body))
                a, b = statistics.median(without) * 1000, statistics.median(with_previews) * 1000
                print(f"| {label} | {len(data) / 1e6:.1f} MB | {a:.0f} ms | {b:.0f} ms | {b - a:.0f} ms |", flush=True)
            body = multipart("photo-4.jpg", samples["JPEG 4 MP"][1], "image/jpeg")
            log(f"throughput: {args.clients} clients, {args.seconds:.0f} s per server")
            rate_off = throughput(off, body, args.clients, args.seconds)
            rate_on = throughput(on, body, args.clients, args.seconds)
            print(f"\n4 MP JPEG, {args.clients} clients: {rate_off:.1f} uploads/s without previews, {rate_on:.1f} with "
                  f"({(1 - rate_on / rate_off) * 100:.0f}% fewer)")


if __name__ == "__main__":
    main()
