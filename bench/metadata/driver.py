"""The body of bench/metadata/run.sh: seed, serve, drive every scenario with wrk, print the table.

Configuration comes from the environment run.sh sets (BIN, REPO, RUNS, DURATION, THREADS, CONNECTIONS,
DOCUMENTS, DATA_DIR, KEEP_DATA, ONLY = comma-separated scenario names to run only those).
"""
import base64
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.environ["BIN"]
REPO = os.environ["REPO"]
RUNS = int(os.environ["RUNS"])
DURATION = os.environ["DURATION"]
THREADS = os.environ["THREADS"]
CONNECTIONS = os.environ["CONNECTIONS"]
DOCUMENTS = int(os.environ["DOCUMENTS"])
ONLY = [name for name in os.environ.get("ONLY", "").split(",") if name]
API = "/api/v2/aws/s3"
COMMON_TERM = "report"  # in about 6% of the seeded file names
RARE_TERM = "pheochromocytoma"  # in 7 of them
P99_BAR_MS = 20.0
PRESIGN_BAR = 3000.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def environment(data_dir: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDVAULT_", "ENABLE_AWS", "NEXT_PUBLIC_"))}
    env.update(
        MEDVAULT_DATA_DIR=data_dir,
        MEDVAULT_MIGRATIONS_DIR=os.path.join(REPO, "migrations"),
        MEDVAULT_PUBLIC_DIR=os.path.join(REPO, "Public"),
        HOST="127.0.0.1",
        PORT=str(port),
    )
    return env


def seed(data_dir: str) -> None:
    if os.path.exists(os.path.join(data_dir, "bench-ids.txt")):
        print(f"reusing the seeded data directory {data_dir}")
        subprocess.run([BIN, "migrate", "--data-dir", data_dir], env=environment(data_dir, 0), check=True,
                       stdout=subprocess.DEVNULL)
        return
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    subprocess.run([BIN, "migrate", "--data-dir", data_dir], env=environment(data_dir, 0), check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(REPO, "bench/metadata/seed.py"), data_dir, "--documents", str(DOCUMENTS)],
                   check=True)


def token_of(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def scenarios(port: int, data_dir: str, work: str) -> dict[str, list[str]]:
    """Request paths per scenario. Deep-page tokens come from walking the API itself to pages 491–510."""
    deep: list[str] = []
    token = None
    for page in range(1, 511):
        path = f"{API}/list" + (f"?continuationToken={token}" if token else "")
        if page > 490:
            deep.append(path)
        status, body = get(port, path)
        if status != 200:
            raise SystemExit(f"list page {page} answered {status}")
        token = json.loads(body)["nextContinuationToken"]
    categories = ["medical-records", "lab-results", "imaging", "consent-forms", "intake-forms", "insurance", "invoices",
                  "prescriptions", "other"]
    with open(os.path.join(data_dir, "bench-ids.txt")) as f:
        ids = [line.strip() for line in f if line.strip()][:20000]
    return {
        "list: first page": [f"{API}/list"],
        "list: page ~500 (token)": deep,
        "list: category filter": [f"{API}/list?category={c}" for c in categories],
        f"list: q={COMMON_TERM} (common)": [f"{API}/list?q={COMMON_TERM}"],
        f"list: q={RARE_TERM} (rare)": [f"{API}/list?q={RARE_TERM}"],
        "stats": [f"{API}/stats"],
        "download?presigned=true": [f"{API}/download?id={i}&presigned=true" for i in ids],
    }


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict[str, float]:
    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if not match:
            raise SystemExit(f"no {label}% latency in wrk output:\n{output}")
        return float(match.group(1)) * UNITS[match.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if non2xx or errors or not rps or not total:
        raise SystemExit(f"wrk run failed or saw errors:\n{output}")
    return {"rps": float(rps.group(1)), "p50": latency("50"), "p99": latency("99"), "requests": int(total.group(1))}


def audit_rows(data_dir: str) -> int:
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'medvault.sqlite')}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    finally:
        db.close()


def main() -> int:
    data_dir = os.environ.get("DATA_DIR") or tempfile.mkdtemp(prefix="medvault-metadata-")
    work = tempfile.mkdtemp(prefix="medvault-metadata-paths-")
    keep = bool(os.environ.get("KEEP_DATA") or os.environ.get("DATA_DIR"))
    seed(data_dir)
    port = free_port()
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([BIN, "serve", "--data-dir", data_dir, "--port", str(port)], env=environment(data_dir, port),
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("medvault did not start; see " + log.name)
            time.sleep(0.05)
        paths = scenarios(port, data_dir, work)
        if ONLY:
            paths = {name: p for name, p in paths.items() if any(o in name for o in ONLY)}
        files = {}
        for n, (name, lines) in enumerate(paths.items()):
            files[name] = os.path.join(work, f"paths-{n}.txt")
            with open(files[name], "w") as f:
                f.write("\n".join(lines) + "\n")
        # Warm-up: 3 s of each, not counted.
        for name in paths:
            subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "-d3s", "-s", os.path.join(REPO, "bench/metadata/rotate.lua"),
                            f"http://127.0.0.1:{port}"], env={**os.environ, "PATHS_FILE": files[name]},
                           check=True, capture_output=True)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
        audited_ok = True
        for run in range(RUNS):
            for name in paths:
                before = audit_rows(data_dir)
                out = subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s",
                                      os.path.join(REPO, "bench/metadata/rotate.lua"), f"http://127.0.0.1:{port}"],
                                     env={**os.environ, "PATHS_FILE": files[name]}, check=True, capture_output=True,
                                     text=True).stdout
                figures = parse_wrk(out)
                figures["audited"] = audit_rows(data_dir) - before
                audited_ok &= figures["audited"] >= figures["requests"]
                results[name].append(figures)
                print(f"  run {run + 1}/{RUNS} {name:28} {figures['rps']:9.0f} req/s  p50 {figures['p50']:6.2f} ms  "
                      f"p99 {figures['p99']:6.2f} ms  audit rows +{figures['audited']} for {figures['requests']} requests",
                      flush=True)
        print()
        print(f"medians of {RUNS} runs; wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION} --latency; {DOCUMENTS} documents; "
              "local store; no authentication (issue 4); every request audited")
        print(f"| {'scenario':30} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | bar                          | met |")
        print(f"|{'-' * 32}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 30}|-----|")
        all_met = True
        for name, runs in results.items():
            rps = statistics.median(r["rps"] for r in runs)
            p50 = statistics.median(r["p50"] for r in runs)
            p99 = statistics.median(r["p99"] for r in runs)
            if name.startswith("download"):
                bar = f"p99 < {P99_BAR_MS:.0f} ms, >= {PRESIGN_BAR:.0f}/s"
                met = p99 < P99_BAR_MS and rps >= PRESIGN_BAR
            else:
                bar = f"p99 < {P99_BAR_MS:.0f} ms"
                met = p99 < P99_BAR_MS
            all_met &= met
            print(f"| {name:30} | {rps:8.0f} | {p50:7.2f} | {p99:7.2f} | {bar:28} | {'yes' if met else 'NO':3} |")
        print()
        print("every request left its audit row" if audited_ok else "AUDIT ROWS MISSING: fewer rows than requests")
        server.terminate()
        server.wait(timeout=10)
        verify = subprocess.run([BIN, "audit", "verify", "--data-dir", data_dir], env=environment(data_dir, 0),
                                capture_output=True, text=True)
        print(f"audit verify: exit {verify.returncode}: {(verify.stdout + verify.stderr).strip().splitlines()[-1:]}")
        print("all bars met" if all_met else "some bars missed")
        return 0 if audited_ok and verify.returncode == 0 else 1
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
