#!/usr/bin/env python3
"""Direct uploads: how fast medvault verifies what arrived, against the floor of reading the same bytes and hashing them.

Run through bench/direct-upload/run.sh (it builds and starts what this needs); see that file.

A 50 MiB DICOM file (random pixel data) goes up as a browser sends it: POST uploads, its 8 MiB parts PUT to the
pre-signed URLs three at a time, then POST …/complete. The time from the last part's 200 to complete's 201 is what
the client waits for verification (assembling the parts, reading the staged object once through the upload inspector
and SHA-256, moving it to its document key, committing the row); `size / that time` is the verification throughput.
On the local store the peer is `sha256sum` of the same file (already in the page cache); on ministack it is
`curl <pre-signed GET> | sha256sum` of the same bytes stored there by a plain PUT: reading the object back and
hashing it, which verification must do at least. Every run measures medvault and its peer back to back.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "transfer"))

from transfer import API, ENTITY, MB, MIB, Medvault, loadavg, log, make_dicom, med, presign, read_env_file, spread  # noqa: E402

PARTS_IN_FLIGHT = 3  # as the upload widget sends them
# 50 MiB is exactly the default cap for a file that is neither image, document nor video; leave room.
SERVER_ENV = {"MEDVAULT_MAX_FILE_MB": "64"}


def send(method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=300)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def direct_upload(server: Medvault, src: Path, size: int) -> tuple[float, float]:
    """One direct upload of `src`; returns (seconds from the last part's 200 to complete's 201, whole upload seconds)."""
    start = time.perf_counter()
    body = json.dumps({"fileName": "bench.dcm", "size": size, "category": "imaging", "entityType": "patient", "entityId": ENTITY})
    status, created = server.request("POST", f"{API}/uploads", body.encode(), {"Content-Type": "application/json"})
    if status != 201:
        raise RuntimeError(f"create answered {status}: {created[:300]!r}")
    session = json.loads(created)
    part_size = session["partSize"]

    def put(part: dict) -> dict:
        with open(src, "rb") as f:
            f.seek((part["partNumber"] - 1) * part_size)
            data = f.read(part_size)
        code, headers, answer = send("PUT", part["url"], data, part["headers"])
        if code != 200:
            raise RuntimeError(f"part {part['partNumber']} answered {code}: {answer[:300]!r}")
        return {"partNumber": part["partNumber"], "etag": headers["etag"]}

    with ThreadPoolExecutor(PARTS_IN_FLIGHT) as pool:
        sent = list(pool.map(put, session["parts"]))
    last_part = time.perf_counter()
    listed = {"parts": sent if len(sent) > 1 else []}
    status, answer = server.request("POST", f"{API}/uploads/{session['uploadId']}/complete", json.dumps(listed).encode(),
                                    {"Content-Type": "application/json"})
    done = time.perf_counter()
    if status != 201:
        raise RuntimeError(f"complete answered {status}: {answer[:300]!r}")
    return done - last_part, done - start


def timed(command: str) -> float:
    start = time.perf_counter()
    subprocess.run(["sh", "-c", command], check=True, capture_output=True)
    return time.perf_counter() - start


def run(args, root: Path, s3_env: dict[str, str] | None) -> dict:
    size = int(float(args.size_mib) * MIB)
    src = root / "upload.dcm"
    make_dicom(src, size)
    targets = {"local": Medvault(args.bin, root, "local", SERVER_ENV)}
    peers = {"local": f"sha256sum {src}"}
    if s3_env:
        targets["ministack"] = Medvault(args.bin, root, "ministack", SERVER_ENV | s3_env)
        key = f"bench-direct-peer/{uuid.uuid4()}.dcm"
        subprocess.run(["curl", "-sSf", "-X", "PUT", "--upload-file", str(src), presign(args.bin, s3_env, "PUT", key)], check=True)
        peers["ministack"] = f"curl -sSf '{presign(args.bin, s3_env, 'GET', key)}' | sha256sum"
    rows: dict[str, list[float]] = {}
    for server in targets.values():
        server.__enter__()
    try:
        for name, server in targets.items():  # warm-up: first connection, first SQLite write, first S3 call
            direct_upload(server, src, size)
            server.delete_all()
            timed(peers[name])
        for number in range(args.runs):
            loads = loadavg()
            for name, server in targets.items():
                verify, whole = direct_upload(server, src, size)
                rows.setdefault(f"{name}_verify_s", []).append(verify)
                rows.setdefault(f"{name}_verify", []).append(size / verify / MB)
                rows.setdefault(f"{name}_whole", []).append(size / whole / MB)
                rows.setdefault(f"{name}_peer", []).append(size / timed(peers[name]) / MB)
                server.delete_all()
            log(f"  run {number + 1}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in rows.items()) + f" (load {loads})")
    finally:
        for server in targets.values():
            server.__exit__(None, None, None)
    return {"size": size, "rows": rows, "peers": {name: command.split(" ", 1)[0] for name, command in peers.items()}}


def report(results: dict, runs: int) -> None:
    size = results["size"]
    print(f"\n### Direct upload of {size / MIB:g} MiB, {PARTS_IN_FLIGHT} parts in flight — medians of {runs} runs\n")
    head = ["backend", "last part → 201 (s)", "verification MB/s", "peer: read back + SHA-256 MB/s", "verification / peer",
            "whole upload MB/s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    peers = {"local": "sha256sum of the file", "ministack": "curl GET → sha256sum"}
    v = results["rows"]
    for name in ("local", "ministack"):
        if f"{name}_verify" not in v:
            continue
        cells = [name, f"{med(v[f'{name}_verify_s']):.2f}", f"{med(v[f'{name}_verify']):.0f}",
                 f"{med(v[f'{name}_peer']):.0f} ({peers[name]})", f"{med(v[f'{name}_verify']) / med(v[f'{name}_peer']):.2f}",
                 f"{med(v[f'{name}_whole']):.0f}"]
        print("| " + " | ".join(cells) + " |")
    print("\nper run:")
    for key, values in v.items():
        print(f"  {key}: {spread(values, '.2f')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(REPO / ".build-release" / "release" / "medvault"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--s3-env", default="", help="ministack env file (export lines); empty = local store only")
    parser.add_argument("--size-mib", default="50")
    args = parser.parse_args()
    s3_env = read_env_file(Path(args.s3_env)) if args.s3_env else None
    root = Path(tempfile.mkdtemp(prefix="medvault-direct-"))
    try:
        results = run(args, root, s3_env)
    except Exception:
        for logf in root.glob("*.log"):
            print(f"---- {logf.name} ----\n{logf.read_text(errors='replace')[-3000:]}", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M:%S %Z')}; load average after {loadavg()}")
    report(results, args.runs)


if __name__ == "__main__":
    main()
