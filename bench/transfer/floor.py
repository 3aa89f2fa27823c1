#!/usr/bin/env python3
"""The upload floor: how fast this machine writes the same bytes to disk with encryption alone.

Each of N streams (separate processes, so N streams use the cores the way N uploads would) writes K copies of
SRC: it reads SRC in 64 KiB chunks, seals each chunk with AES-256-GCM (pyca/cryptography, i.e. OpenSSL with
AES-NI; 12-byte nonce = 8-byte random prefix ‖ UInt32 chunk index, 63 bytes of associated data, like
medvault's format), appends ciphertext ‖ tag to its output file, and fsyncs the file when the copy is
complete. The clock runs from the moment every stream is ready (a barrier) until the last one has fsynced.
`--plain` does the same without the encryption (disk alone, for context).

    python3 bench/transfer/floor.py --src FILE --streams 8 --files-per-stream 1 --outdir DIR [--plain]

Prints one JSON object: {"seconds": …, "bytes": …} (bytes = plaintext bytes, as for an upload).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import struct
import time

CHUNK = 65_536


def stream(index: int, src: str, copies: int, outdir: str, plain: bool, barrier) -> None:
    aes = None
    if not plain:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        aes = AESGCM(os.urandom(32))
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    aad_head = os.urandom(58)
    barrier.wait()
    for copy in range(copies):
        prefix = os.urandom(8)
        fd = os.open(os.path.join(outdir, f"{index}-{copy}.enc"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with open(src, "rb", buffering=0) as source:
                chunk = 0
                while True:
                    n = source.readinto(buffer)
                    if not n:
                        break
                    if aes is None:
                        os.write(fd, view[:n])
                    else:
                        counter = struct.pack(">I", chunk)
                        sealed = aes.encrypt(prefix + counter, view[:n], aad_head + counter + b"\x00")
                        os.write(fd, sealed)
                    chunk += 1
            os.fsync(fd)
        finally:
            os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", required=True)
    parser.add_argument("--streams", type=int, default=1)
    parser.add_argument("--files-per-stream", type=int, default=1)
    parser.add_argument("--outdir", required=True)
    parser.add_argument("--plain", action="store_true", help="write + fsync without encryption")
    args = parser.parse_args()

    os.makedirs(args.outdir, exist_ok=True)
    context = mp.get_context("fork")
    barrier = context.Barrier(args.streams + 1)
    workers = [
        context.Process(target=stream, args=(i, args.src, args.files_per_stream, args.outdir, args.plain, barrier))
        for i in range(args.streams)
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    start = time.perf_counter()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    failed = [w.exitcode for w in workers if w.exitcode != 0]
    shutil.rmtree(args.outdir, ignore_errors=True)
    if failed:
        raise SystemExit(f"floor: {len(failed)} stream(s) failed")
    size = os.path.getsize(args.src)
    print(json.dumps({"seconds": seconds, "bytes": size * args.streams * args.files_per_stream}))


if __name__ == "__main__":
    main()
