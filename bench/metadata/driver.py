"""The body of bench/metadata/run.sh: seed, serve, drive every scenario with wrk, print the table.

Every request is authenticated, as the server requires: seeding creates an administrator (`medvault user add`,
ADMIN_EMAIL), each server's data directory gets its own bearer token (`medvault token issue`, audited like any
issuance) and wrk sends it in `Authorization: Bearer` (rotate.lua, BEARER_TOKEN). An admin sees every document, so
listings are the same 100,000-document index whoever pages through it.

Configuration comes from the environment run.sh sets: BIN, REPO, RUNS, DURATION, THREADS, CONNECTIONS, DOCUMENTS,
DATA_DIR, KEEP_DATA, ONLY (comma-separated parts of scenario names: run only those), MIGRATIONS_DIR (serve with
other migrations than the repository's), and for a before/after comparison BASELINE_BIN with
BASELINE_MIGRATIONS_DIR: the baseline then serves an identical copy of the seeded data on its own port, and every
round runs each scenario against both servers back to back (alternating which goes first), so that drift in the
machine's load hits both alike.

With DATABASE_URL (an empty PostgreSQL database), the data is seeded into SQLite as always and moved there with
`medvault db copy --from-sqlite`, and the servers run on PostgreSQL; NODES=2 then runs two servers on that database
(on one data directory, so they share its keys) behind nginx round-robin, and wrk drives nginx.
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
MIGRATIONS_DIR = os.environ.get("MIGRATIONS_DIR") or os.path.join(REPO, "migrations")
BASELINE_BIN = os.environ.get("BASELINE_BIN") or None
BASELINE_MIGRATIONS_DIR = os.environ.get("BASELINE_MIGRATIONS_DIR") or MIGRATIONS_DIR
LUA = os.path.join(REPO, "bench/metadata/rotate.lua")
API = "/api/v2/aws/s3"
COMMON_TERM = "report"  # in about 6% of the seeded file names
RARE_TERM = "pheochromocytoma"  # in 7 of them
ADMIN_EMAIL = "bench-admin@medvault.local"
# Long enough for RUNS=5 with a baseline (about 30 minutes of wrk); minted per run, so a kept DATA_DIR is fine.
TOKEN_TTL_SECONDS = 7200
P99_BAR_MS = 20.0
PRESIGN_BAR = 3000.0
DATABASE_URL = os.environ.get("DATABASE_URL") or None
NODES = int(os.environ.get("NODES") or "1")
NGINX_CONF = """worker_processes 1; user root; pid {work}/nginx.pid; error_log {work}/nginx.log warn;
events {{ worker_connections 1024; }}
http {{ access_log off; upstream medvault {{ {servers} keepalive 32; }}
  server {{ listen 127.0.0.1:{port};
    location / {{ proxy_pass http://medvault; proxy_http_version 1.1; proxy_set_header Connection ""; }} }} }}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, token: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def answers(port: int, seconds: float, gone) -> bool:
    """Whether GET /healthz on `port` answers 200 within `seconds`, giving up early once `gone()` (the process ended)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not gone():
        try:
            if get(port, "/healthz")[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def environment(data_dir: str, port: int, migrations: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDVAULT_", "ENABLE_AWS", "NEXT_PUBLIC_"))}
    env.update(
        MEDVAULT_DATA_DIR=data_dir,
        MEDVAULT_MIGRATIONS_DIR=migrations,
        MEDVAULT_PUBLIC_DIR=os.path.join(REPO, "Public"),
        HOST="127.0.0.1",
        PORT=str(port),
    )
    return env


def seed(data_dir: str, binary: str, migrations: str) -> None:
    """Creates the schema with `binary migrate` (the oldest binary in the run) and the administrator the benchmark
    signs in as (`binary user add`), then seeds the documents with seed.py (uploaded by that administrator)."""
    if os.path.exists(os.path.join(data_dir, "bench-ids.txt")):
        print(f"reusing the seeded data directory {data_dir}")
        return
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    env = environment(data_dir, 0, migrations)
    env.pop("DATABASE_URL", None)  # seeded into SQLite; copied to PostgreSQL afterwards (copy_to_postgres)
    subprocess.run([binary, "migrate", "--data-dir", data_dir], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "user", "add", "--email", ADMIN_EMAIL, "--role", "admin", "--name", "Benchmark admin",
                    "--password-stdin", "--data-dir", data_dir], env=env, check=True, stdout=subprocess.DEVNULL,
                   input=base64.b64encode(os.urandom(24)).decode() + "\n", text=True)
    subprocess.run([sys.executable, os.path.join(REPO, "bench/metadata/seed.py"), data_dir, "--documents", str(DOCUMENTS),
                    "--uploaded-by", ADMIN_EMAIL], check=True)


def copy_to_postgres(data_dir: str, binary: str, migrations: str) -> None:
    """Copies the seeded SQLite database into DATABASE_URL's (`medvault db copy`); a database that holds the copy
    of an earlier run already is reused."""
    result = subprocess.run([binary, "db", "copy", "--from-sqlite", os.path.join(data_dir, "medvault.sqlite"),
                             "--data-dir", data_dir], env=environment(data_dir, 0, migrations), capture_output=True,
                            text=True)
    if result.returncode != 0 and "not empty" not in result.stderr:
        raise SystemExit(f"medvault db copy failed:\n{result.stderr}{result.stdout}")
    print("reusing the PostgreSQL database" if result.returncode else result.stdout.strip().splitlines()[-1])


class Front:
    """Two servers on DATABASE_URL behind nginx round-robin, driven as one server."""

    def __init__(self, label: str, binary: str, data_dir: str, migrations: str, work: str):
        self.nodes = [Server(f"{label}-{n}", binary, data_dir, migrations, work) for n in "ab"]
        self.label, self.data_dir, self.token = label, data_dir, self.nodes[0].token
        self.port = free_port()
        servers = " ".join(f"server 127.0.0.1:{node.port};" for node in self.nodes)
        conf = os.path.join(work, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(work=work, servers=servers, port=self.port))
        self.nginx = subprocess.Popen(["nginx", "-p", work, "-c", conf, "-g", "daemon off;"])
        if not answers(self.port, 10, lambda: self.nginx.poll() is not None):
            self.stop()
            raise SystemExit("nginx did not start")

    def stop(self) -> None:
        if self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(timeout=10)
        for node in self.nodes:
            node.stop()

    def verify_audit(self) -> bool:
        return self.nodes[0].verify_audit()


def issue_token(binary: str, data_dir: str, migrations: str) -> str:
    """A bearer token for the benchmark's administrator, from `binary token issue` on `data_dir` (its jwt.key)."""
    result = subprocess.run([binary, "token", "issue", "--email", ADMIN_EMAIL, "--ttl", str(TOKEN_TTL_SECONDS),
                             "--data-dir", data_dir], env=environment(data_dir, 0, migrations), check=True,
                            capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


class Server:
    """One `medvault serve` on a free port (the local store: no AWS_* variables)."""

    def __init__(self, label: str, binary: str, data_dir: str, migrations: str, work: str):
        self.label, self.binary, self.data_dir, self.migrations = label, binary, data_dir, migrations
        self.port = free_port()
        self.token = issue_token(binary, data_dir, migrations)
        self.log_path = os.path.join(work, f"server-{label}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([binary, "serve", "--data-dir", data_dir, "--port", str(self.port)],
                                        env=environment(data_dir, self.port, migrations), stdout=self.log,
                                        stderr=subprocess.STDOUT)
        # The first start of a new binary may build an index over the seeded rows.
        if not answers(self.port, 60, lambda: self.process.poll() is not None):
            self.stop()
            with open(self.log_path) as log:
                raise SystemExit(f"medvault ({label}) did not start:\n{log.read()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if not self.log.closed:
            self.log.close()

    def verify_audit(self) -> bool:
        """Runs `medvault audit verify` on the server's data (after stop()) and prints its verdict."""
        result = subprocess.run([self.binary, "audit", "verify", "--data-dir", self.data_dir],
                                env=environment(self.data_dir, 0, self.migrations), capture_output=True, text=True)
        last = (result.stdout + result.stderr).strip().splitlines()[-1:]
        print(f"audit verify ({self.label}): exit {result.returncode}: {last[0] if last else ''}")
        return result.returncode == 0


def scenarios(server: Server, data_dir: str) -> dict[str, list[str]]:
    """Request paths per scenario. Deep-page tokens come from walking the API itself to pages 491–510."""
    deep: list[str] = []
    token = None
    for page in range(1, 511):
        path = f"{API}/list" + (f"?continuationToken={token}" if token else "")
        if page > 490:
            deep.append(path)
        status, body = get(server.port, path, server.token)
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
    if not rps or not total:
        raise SystemExit(f"wrk run failed:\n{output}")
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        raise SystemExit(f"wrk saw answers other than 200:\n{output}")
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return {"rps": float(rps.group(1)), "p50": latency("50"), "p99": latency("99"), "requests": int(total.group(1)),
            "errors": errors}


def audit_rows(data_dir: str) -> int:
    if DATABASE_URL:
        result = subprocess.run(["psql", DATABASE_URL, "-tAc", "SELECT count(*) FROM audit_events"], check=True,
                                capture_output=True, text=True)
        return int(result.stdout.strip())
    db = sqlite3.connect(f"file:{os.path.join(data_dir, 'medvault.sqlite')}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    finally:
        db.close()


def wrk(server: Server, paths_file: str, duration: str, latency: bool = True) -> str:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}"] + (["--latency"] if latency else [])
    command += ["--timeout", "10s", "-s", LUA, f"http://127.0.0.1:{server.port}"]
    return subprocess.run(command, env={**os.environ, "PATHS_FILE": paths_file, "BEARER_TOKEN": server.token}, check=True, capture_output=True,
                          text=True).stdout


def medians(runs: list[dict[str, float]]) -> tuple[float, float, float]:
    return (statistics.median(r["rps"] for r in runs), statistics.median(r["p50"] for r in runs),
            statistics.median(r["p99"] for r in runs))


def bar_for(name: str, rps: float, p99: float) -> tuple[str, bool]:
    if name.startswith("download"):
        return f"p99 < {P99_BAR_MS:.0f} ms, >= {PRESIGN_BAR:.0f}/s", p99 < P99_BAR_MS and rps >= PRESIGN_BAR
    return f"p99 < {P99_BAR_MS:.0f} ms", p99 < P99_BAR_MS


def main() -> int:
    data_dir = os.environ.get("DATA_DIR") or tempfile.mkdtemp(prefix="medvault-metadata-")
    work = tempfile.mkdtemp(prefix="medvault-metadata-work-")
    keep = bool(os.environ.get("KEEP_DATA") or os.environ.get("DATA_DIR"))
    baseline_dir = data_dir.rstrip("/") + "-baseline"
    if BASELINE_BIN:
        seed(data_dir, BASELINE_BIN, BASELINE_MIGRATIONS_DIR)
        shutil.rmtree(baseline_dir, ignore_errors=True)
        shutil.copytree(data_dir, baseline_dir)
    else:
        seed(data_dir, BIN, MIGRATIONS_DIR)
    if DATABASE_URL:
        copy_to_postgres(data_dir, BIN, MIGRATIONS_DIR)
    servers: list = []
    try:
        servers.append((Front if NODES == 2 else Server)("current", BIN, data_dir, MIGRATIONS_DIR, work))
        if BASELINE_BIN:
            servers.append(Server("baseline", BASELINE_BIN, baseline_dir, BASELINE_MIGRATIONS_DIR, work))
        paths = scenarios(servers[0], data_dir)
        if ONLY:
            paths = {name: p for name, p in paths.items() if any(o in name for o in ONLY)}
        files = {}
        for n, (name, lines) in enumerate(paths.items()):
            files[name] = os.path.join(work, f"paths-{n}.txt")
            with open(files[name], "w") as f:
                f.write("\n".join(lines) + "\n")
        for server in servers:  # warm-up: 3 s of each scenario, not counted
            for name in paths:
                wrk(server, files[name], "3s", latency=False)
        results = {(s.label, name): [] for s in servers for name in paths}
        audited_ok = True
        for run in range(RUNS):
            for name in paths:
                for server in servers if run % 2 == 0 else reversed(servers):
                    before = audit_rows(server.data_dir)
                    figures = parse_wrk(wrk(server, files[name], DURATION))
                    figures["audited"] = audit_rows(server.data_dir) - before
                    audited_ok &= figures["audited"] >= figures["requests"]
                    results[(server.label, name)].append(figures)
                    print(f"  run {run + 1}/{RUNS} {server.label:8} {name:32} {figures['rps']:7.0f} req/s  "
                          f"p50 {figures['p50']:6.2f} ms  p99 {figures['p99']:6.2f} ms  "
                          f"audit rows +{figures['audited']} for {figures['requests']} requests"
                          + (f"  SOCKET ERRORS/TIMEOUTS {figures['errors']}" if figures["errors"] else ""), flush=True)
        print()
        print(f"medians of {RUNS} runs; wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION} --latency; {DOCUMENTS} documents; "
              "local store; bearer-token admin; every request audited; "
              + (f"PostgreSQL, {NODES} node(s)" + (" behind nginx" if NODES == 2 else "") if DATABASE_URL else "SQLite"))
        all_met = True
        if BASELINE_BIN:
            print(f"| {'scenario':32} | baseline req/s | p50 ms | p99 ms | current req/s | p50 ms | p99 ms | req/s × "
                  f"| bar (current)                | met |")
            print(f"|{'-' * 34}|---------------:|-------:|-------:|--------------:|-------:|-------:|--------:"
                  f"|{'-' * 30}|-----|")
        else:
            print(f"| {'scenario':32} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | bar                          | met |")
            print(f"|{'-' * 34}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 30}|-----|")
        for name in paths:
            rps, p50, p99 = medians(results[("current", name)])
            bar, met = bar_for(name, rps, p99)
            all_met &= met
            if BASELINE_BIN:
                b_rps, b_p50, b_p99 = medians(results[("baseline", name)])
                print(f"| {name:32} | {b_rps:14.0f} | {b_p50:6.1f} | {b_p99:6.1f} | {rps:13.0f} | {p50:6.1f} | {p99:6.1f} "
                      f"| {rps / b_rps:7.1f} | {bar:28} | {'yes' if met else 'NO':3} |")
            else:
                print(f"| {name:32} | {rps:8.0f} | {p50:7.2f} | {p99:7.2f} | {bar:28} | {'yes' if met else 'NO':3} |")
        print()
        print("every request left its audit row" if audited_ok else "AUDIT ROWS MISSING: fewer rows than requests")
        failed = {f"{label} {name}": sum(r["errors"] for r in runs) for (label, name), runs in results.items()}
        for what, count in failed.items():
            if count:
                print(f"{what}: {count} requests failed or took over 10 s (wrk --timeout 10s)")
        verified = True
        for server in servers:
            server.stop()
            verified &= server.verify_audit()
        print("all bars met" if all_met else "some bars missed")
        return 0 if audited_ok and verified else 1
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        if not keep or BASELINE_BIN:
            shutil.rmtree(baseline_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
