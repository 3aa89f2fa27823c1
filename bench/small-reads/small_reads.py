"""100 KiB audited reads under wrk: nginx serving the same bytes, medvault's `download?id=`, a pre-signed URL's
fetch (`objects/…?X-Amz-…`), and pre-signing itself (`download?presigned=true`), each at `--connections`, with
the server's CPU time per request (from /proc, utime + stime over the requests wrk completed).

With `--baseline <binary>`, an older medvault runs beside `--bin` on its own data directory and every target is
measured on both in the same round (nginx, then base and new alternately), so that ratios compare like with like on a
shared machine. After the rounds each server is stopped, `medvault audit verify` runs on its data directory and
its audit rows are counted against the requests wrk completed (every answered request has its row).
"""
import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "transfer"))
import transfer as T  # noqa: E402  (the transfer benchmark's servers, wrk runner and helpers)

ROWS = {"download": "document.download", "signed": "document.presigned_fetch", "presign": "document.presign"}


def measure(args, kinds: list[str], servers: dict, root: Path, docroot: Path, source: Path) -> tuple[dict, dict]:
    """Every round: nginx, then each target on each server; returns the wrk results and the requests completed."""
    targets: dict[tuple[str, str], tuple[str, dict | None]] = {}
    for name, server in servers.items():
        doc = server.upload_one(source)
        download = f"{T.API}/download?id={doc['id']}"
        status, body = server.request("GET", download)
        assert status == 200 and body == source.read_bytes(), f"{name}: download answered {status}"
        status, body = server.request("GET", f"{download}&presigned=true&expires=3600")
        assert status == 200, f"{name}: pre-sign answered {status}"
        targets[(name, "download")] = (server.base + download, server.auth_headers)
        targets[(name, "signed")] = (json.loads(body)["url"], None)
        targets[(name, "presign")] = (f"{server.base}{download}&presigned=true", server.auth_headers)
    results: dict[tuple[str, str], list[dict]] = {}
    completed = {name: {kind: 0 for kind in kinds} for name in servers}
    with T.Nginx(root, docroot) as nginx:
        for run in range(args.runs):
            plan = [("nginx", "file", f"{nginx.base}/f.dcm", None)]
            plan += [(name, kind, *targets[(name, kind)]) for kind in kinds for name in servers]
            for name, kind, url, headers in plan:
                server = servers.get(name)
                load = T.loadavg()
                cpu0 = server.cpu() if server else 0.0
                r = T.wrk(url, args.connections, args.seconds, headers)
                requests = r["rps"] * args.seconds
                r["cpu_us"] = (server.cpu() - cpu0) / requests * 1e6 if server else 0.0
                r["load"] = load
                if server:
                    completed[name][kind] += round(requests)
                results.setdefault((name, kind), []).append(r)
                T.log(f"run {run + 1} {name} {kind}: {r['rps']:.0f} req/s, p99 {r['p99_ms']:.1f} ms, {r['cpu_us']:.0f} µs CPU/request")
    return results, completed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--baseline", help="an older medvault binary measured in the same rounds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", default="download,signed,presign", help="comma-separated targets")
    args = parser.parse_args()
    kinds = args.only.split(",")
    binaries = {"new": args.bin} | ({"base": args.baseline} if args.baseline else {})
    root = Path(tempfile.mkdtemp(prefix="medvault-small-reads-"))
    root.chmod(0o755)  # nginx's workers run as an unprivileged user and must reach the document root
    docroot = root / "docroot"
    docroot.mkdir(mode=0o755)
    source = docroot / "f.dcm"
    T.make_dicom(source, 100 * 1024)
    servers: dict[str, T.Medvault] = {}
    try:
        for name, binary in binaries.items():
            servers[name] = T.Medvault(binary, root, name, None).__enter__()
        results, completed = measure(args, kinds, servers, root, docroot, source)
    except BaseException:
        for server in servers.values():  # a failed run leaves no server behind
            server.__exit__(None, None, None)
        shutil.rmtree(root, ignore_errors=True)
        raise
    print(f"\n### 100 KiB, wrk -c{args.connections} {args.seconds} s, medians of {args.runs} runs (load average before each run)\n")
    print("| target | server | req/s | of nginx | p99 ms (max) | CPU µs/request | load |")
    print("|---|---|---:|---:|---:|---:|---|")
    nginx_rps = T.med([r["rps"] for r in results[("nginx", "file")]])
    for (name, kind), rows in results.items():
        rps = T.med([r["rps"] for r in rows])
        print(f"| {kind} | {name} | {rps:,.0f} | {rps / nginx_rps:.2f} | {T.med([r['p99_ms'] for r in rows]):.1f} "
              f"({max(r['p99_ms'] for r in rows):.1f}) | {T.med([r['cpu_us'] for r in rows]):.0f} | "
              f"{' / '.join(r['load'].split()[0] for r in rows)} |")
    print()
    for name, server in servers.items():
        data = server.data
        server.proc.terminate()
        server.proc.wait()
        verify = subprocess.run([binaries[name], "audit", "verify", "--data-dir", str(data)], cwd=T.REPO,
                                capture_output=True, text=True)
        with sqlite3.connect(data / "medvault.sqlite") as db:
            counts = dict(db.execute("SELECT action, count(*) FROM audit_events GROUP BY action").fetchall())
        rows = ", ".join(f"{kind} {counts.get(ROWS[kind], 0):,} rows for ~{completed[name][kind]:,} completed" for kind in kinds)
        print(f"{name}: audit verify exit {verify.returncode} ({(verify.stdout + verify.stderr).strip().splitlines()[-1]}); {rows}")
        server.proc = None
        server.__exit__(None, None, None)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
