#!/usr/bin/env python3
"""Upload throughput of `medvault serve` with and without malware scanning, against clamd's own client.

Run through bench/antivirus/run.sh (it builds and starts what this needs); see that file.

The same 50 MiB DICOM file (random pixel data) is uploaded with 1 and 8 concurrent clients (curl -F, one process
per client) to two servers on the local store, started side by side: one without MEDVAULT_CLAMD_URL and one that
scans every upload with a clamd started for this run (scripts/clamd.sh, the test signature database). In the same
run, clamdscan --stream sends the same file to the same clamd over the same INSTREAM protocol, as many processes at
once as there are clients: that is the rate clamd itself can scan these bytes, the ceiling of a scanning upload.

Every run measures the three targets back to back; the table gives medians over RUNS runs, plus the CPU seconds per
GiB that medvault and clamd spent.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench" / "transfer"))

from transfer import API, MB, MIB, Medvault, cpu_seconds, curl_clients, form_lines, loadavg, log, make_dicom, med, spread  # noqa: E402


class Clamd:
    """A clamd of this run's own (scripts/clamd.sh with CLAMD_STATE under the run's directory)."""

    def __init__(self, state: Path):
        self.state = state
        self.env = dict(os.environ) | {"CLAMD_STATE": str(state)}

    def __enter__(self) -> "Clamd":
        subprocess.run([str(REPO / "scripts" / "clamd.sh"), "start"], env=self.env, check=True, capture_output=True)
        self.pid = int((self.state / "clamd.pid").read_text())
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run([str(REPO / "scripts" / "clamd.sh"), "stop"], env=self.env, capture_output=True)

    @property
    def url(self) -> str:
        return f"unix://{self.state}/clamd.sock"

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    def clamdscan(self, src: Path, clients: int, per_client: int) -> float:
        """Wall seconds for `clients` concurrent clamdscan --stream processes, each scanning `src` `per_client`
        times (one process per scan, as each of medvault's uploads opens one connection)."""
        command = ["clamdscan", "-c", str(self.state / "clamd.conf"), "--stream", "--no-summary", "--quiet", str(src)]
        script = "; ".join([" ".join(command)] * per_client)
        start = time.perf_counter()
        procs = [subprocess.Popen(["sh", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(clients)]
        for proc in procs:
            out, err = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"clamdscan exited {proc.returncode}: {(out + err)[:300]!r}")
        return time.perf_counter() - start


def run(args, root: Path) -> dict:
    size = int(float(args.size_mib) * MIB)
    src = root / "upload.dcm"
    make_dicom(src, size)
    results = {}
    with Clamd(root / "clamd") as clamd:
        for clients in [int(c) for c in args.clients.split(",")]:
            per_client = max(1, round(args.total_mib * MIB / (size * clients)))
            total = size * clients * per_client
            key = f"{args.size_mib} MiB × {clients}"
            log(f"{key}: {per_client} file(s) per client, {total / MIB:.0f} MiB per run")
            servers = {
                "plain": Medvault(args.bin, root, "plain", None),
                # Medvault's last argument is extra environment for the server (named for the S3 variables).
                "scanned": Medvault(args.bin, root, "scanned", {"MEDVAULT_CLAMD_URL": clamd.url}),
            }
            for server in servers.values():
                server.__enter__()
            rows: dict[str, list[float]] = {}
            try:
                for server in servers.values():  # warm-up: first connection, first SQLite write, first scan
                    server.upload_one(src)
                    server.delete_all()
                for number in range(args.runs):
                    loads = loadavg()
                    clamd_cpu = clamd.cpu()
                    seconds = clamd.clamdscan(src, clients, per_client)
                    rows.setdefault("clamdscan", []).append(total / seconds / MB)
                    rows.setdefault("clamdscan_clamd_cpu", []).append((clamd.cpu() - clamd_cpu) / (total / MIB) * 1024)
                    for name, server in servers.items():
                        cpu, clamd_cpu = server.cpu(), clamd.cpu()
                        lines = form_lines(f"{server.base}{API}/upload", src) + server.curl_auth_lines()
                        seconds = curl_clients(root, name, [[lines] * per_client] * clients, {"201"})
                        rows.setdefault(name, []).append(total / seconds / MB)
                        rows.setdefault(f"{name}_cpu", []).append((server.cpu() - cpu) / (total / MIB) * 1024)
                        rows.setdefault(f"{name}_clamd_cpu", []).append((clamd.cpu() - clamd_cpu) / (total / MIB) * 1024)
                        server.delete_all()
                    log(f"  run {number + 1}: " + ", ".join(f"{k} {v[-1]:.0f}" for k, v in rows.items() if "_" not in k) + f" (load {loads})")
            finally:
                for server in servers.values():
                    server.__exit__(None, None, None)
            results[key] = {"clients": clients, "per_client": per_client, "runs": rows}
    return results


def report(results: dict, runs: int) -> None:
    print(f"\n### Upload with and without malware scanning — MB/s (10^6 B/s) of file bytes, medians of {runs} runs\n")
    head = ["file × clients", "medvault, no scanning", "medvault, scanning", "scanning / none", "clamdscan --stream (same clamd)",
            "scanning / clamdscan", "medvault CPU s/GiB (none / scanning)", "clamd CPU s/GiB (medvault / clamdscan)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for key, r in results.items():
        v = r["runs"]
        cells = [
            key,
            f"{med(v['plain']):.0f}",
            f"{med(v['scanned']):.0f}",
            f"{med(v['scanned']) / med(v['plain']):.2f}",
            f"{med(v['clamdscan']):.0f}",
            f"{med(v['scanned']) / med(v['clamdscan']):.2f}",
            f"{med(v['plain_cpu']):.1f} / {med(v['scanned_cpu']):.1f}",
            f"{med(v['scanned_clamd_cpu']):.1f} / {med(v['clamdscan_clamd_cpu']):.1f}",
        ]
        print("| " + " | ".join(cells) + " |")
    print("\nper run (MB/s):")
    for key, r in results.items():
        v = r["runs"]
        print(f"  {key} ({r['per_client']} file(s)/client): " + "; ".join(f"{k} {spread(v[k])}" for k in ("plain", "scanned", "clamdscan")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(REPO / ".build-release" / "release" / "medvault"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size-mib", default="50")
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--total-mib", type=float, default=256, help="upload bytes per run per scenario (≥ 1 file/client)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="medvault-av-", dir=os.environ.get("BENCH_TMP", "/tmp")) as tmp:
        report(run(args, Path(tmp)), args.runs)


if __name__ == "__main__":
    main()
