#!/usr/bin/env python3
"""Upload and download throughput of `medvault serve` against its peers.

Run through bench/transfer/run.sh (it builds, installs and starts what this needs); see that file.

upload    multipart form uploads (curl -F, one curl process per client, several files per process over one
          kept-alive connection) of DICOM files of 1 MiB, 10 MiB and 49 MiB with 1 and 8 concurrent clients,
          to medvault on the local store and on the S3 test server (ministack). In the same run: the floor
          (floor.py: AES-256-GCM in 64 KiB chunks + fsync, same bytes, same number of streams), the disk
          alone (same without encryption), the client alone (the same curl commands against an nginx
          location that reads and discards the body) and ministack alone (curl -T to a pre-signed PUT).
          Peak server memory is VmHWM of a server started fresh for each size × clients scenario.
download  wrk (1 connection / 1 thread, 8 connections / 2 threads) fetching a 49 MiB and a 100 KiB DICOM from
          nginx (the same plaintext bytes from disk), from medvault on the local store (decrypting) and on
          ministack, and from ministack directly (pre-signed GET); for the small file also medvault's /healthz
          (the HTTP stack alone) and /config (one audited call, no file) as ceilings.

Every run measures all targets back to back; tables give medians over RUNS runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO / "Tests" / "e2e"))

from samples import dicom_stream_head  # noqa: E402

MIB = 1024 * 1024
MB = 1_000_000
API = "/api/v2/aws/s3"
ENTITY = "P-BENCH"
# Every API call is authenticated: each server's data directory gets this administrator and a bearer token.
ADMIN_EMAIL = "bench-admin@medvault.local"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {loadavg()}] {message}", file=sys.stderr, flush=True)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_dicom(path: Path, size: int) -> None:
    head = dicom_stream_head(size)
    with open(path, "wb") as f:
        f.write(head)
        left = size - len(head)
        while left:
            n = min(left, 4 * MIB)
            f.write(os.urandom(n))  # pixel data: incompressible, like real image data
            left -= n


def read_env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        m = re.match(r"\s*export\s+([A-Z0-9_]+)=(.*)$", line)
        if m:
            env[m.group(1)] = m.group(2).strip().strip("'\"")
    return env


# --- servers ----------------------------------------------------------------------------------------------


class Medvault:
    """`medvault serve` on a free port with its own data directory; samples VmRSS every 5 ms.

    Before serving, `medvault user add` creates the benchmark's administrator there and `medvault token issue`
    gives the bearer token every API request carries (`auth_headers`, `curl_auth_lines`)."""

    def __init__(self, binary: str, root: Path, name: str, s3_env: dict[str, str] | None):
        self.binary, self.root, self.name, self.s3_env = binary, root, name, s3_env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data = root / f"data-{name}-{uuid.uuid4().hex[:8]}"
        self.proc: subprocess.Popen | None = None
        self.sampled_peak_kib = 0
        self.peak_threads = 0
        self.hwm_kib = 0
        self._stop = threading.Event()

    def __enter__(self) -> "Medvault":
        env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LOG_LEVEL": "warning"}
        if self.s3_env:
            env.update(self.s3_env)
        self.log_path = self.root / f"{self.name}.log"
        self.data.mkdir(mode=0o700)
        admin = [self.binary, "user", "add", "--email", ADMIN_EMAIL, "--role", "admin", "--name", "Benchmark admin",
                 "--password-stdin", "--data-dir", str(self.data)]
        subprocess.run(admin, cwd=REPO, env=env, check=True, capture_output=True,
                       input=uuid.uuid4().hex + uuid.uuid4().hex + "\n", text=True)
        issue = [self.binary, "token", "issue", "--email", ADMIN_EMAIL, "--ttl", "14400", "--data-dir", str(self.data)]
        self.token = subprocess.run(issue, cwd=REPO, env=env, check=True, capture_output=True,
                                    text=True).stdout.strip().splitlines()[-1]
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--data-dir", str(self.data)],
                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"medvault ({self.name}) did not start; see {self.log_path}")
            time.sleep(0.01)
        threading.Thread(target=self._sample, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self.proc and self.proc.poll() is None:
            self.hwm_kib = status_kib(self.proc.pid, "VmHWM")
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.data, ignore_errors=True)

    def _healthy(self) -> bool:
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def _sample(self) -> None:
        assert self.proc
        while not self._stop.is_set():
            try:
                self.sampled_peak_kib = max(self.sampled_peak_kib, status_kib(self.proc.pid, "VmRSS"))
                self.peak_threads = max(self.peak_threads, status_kib(self.proc.pid, "Threads"))
            except (OSError, RuntimeError):
                return
            time.sleep(0.005)

    def hwm_now_kib(self) -> int:
        assert self.proc
        return status_kib(self.proc.pid, "VmHWM")

    def cpu(self) -> float:
        assert self.proc
        return cpu_seconds(self.proc.pid)

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def curl_auth_lines(self) -> list[str]:
        return [f'header = "Authorization: Bearer {self.token}"']

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers={**self.auth_headers, **(headers or {})})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def upload_one(self, path: Path) -> dict:
        out = subprocess.run(
            ["curl", "-sS", "-H", "Expect:", "-H", f"Authorization: Bearer {self.token}", "-F", "category=imaging", "-F", "entityType=patient",
             "-F", f"entityId={ENTITY}", "-F", f"file=@{path};type=application/dicom",
             "-w", "\n%{http_code}", f"{self.base}{API}/upload"],
            check=True, capture_output=True, text=True,
        ).stdout
        body, _, code = out.rpartition("\n")
        if code != "201":
            raise RuntimeError(f"upload to {self.name} answered {code}: {body[:300]}")
        return json.loads(body)["files"][0]

    def delete_all(self) -> int:
        """Permanently deletes every benchmark document (not timed), so the S3 server does not fill up."""
        deleted = 0
        while True:
            status, body = self.request("GET", f"{API}/list?prefix=patients/{ENTITY}/&maxKeys=1000")
            files = json.loads(body)["files"] if status == 200 else []
            if not files:
                return deleted
            for f in files:
                payload = json.dumps({"key": f["key"], "permanent": True}).encode()
                status, _ = self.request("DELETE", f"{API}/delete", payload, {"Content-Type": "application/json"})
                if status != 200:
                    raise RuntimeError(f"delete on {self.name} answered {status}")
                deleted += 1


class Nginx:
    """nginx as a plain process (daemon off, own prefix and pid file) serving ROOT, with a /sink location
    that reads and discards request bodies (the client-only upload baseline)."""

    def __init__(self, root: Path, docroot: Path):
        self.prefix = root / "nginx"
        self.docroot = docroot
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Nginx":
        (self.prefix / "logs").mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(f"""
daemon off;
master_process on;
worker_processes auto;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.prefix}/logs/access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {self.prefix}/client_body;
    proxy_temp_path {self.prefix}/proxy;
    fastcgi_temp_path {self.prefix}/fastcgi;
    uwsgi_temp_path {self.prefix}/uwsgi;
    scgi_temp_path {self.prefix}/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.docroot};
        location = /sink {{ client_max_body_size 0; return 201 "{{}}"; }}
    }}
}}
""")
        self.proc = subprocess.Popen(
            ["nginx", "-p", str(self.prefix), "-c", str(conf)],
            stdout=subprocess.DEVNULL, stderr=open(self.prefix / "logs" / "stderr.log", "wb"),
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start; see {self.prefix}/logs")
                time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful; the master ends its workers
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait()


# --- clients ----------------------------------------------------------------------------------------------


def curl_clients(root: Path, label: str, transfers: list[list[list[str]]], expect: set[str]) -> float:
    """Runs one curl process per client; each does its transfers in order over one connection.

    `transfers[c]` lists, for client c, the option lines of each transfer (curl config syntax). Returns the
    wall time from the first launch to the last exit; raises unless every transfer answered a status in
    `expect`.
    """
    configs = []
    for c, client in enumerate(transfers):
        path = root / f"curl-{label}-{c}.conf"
        blocks = []
        for lines in client:
            blocks.append("\n".join(lines + ['output = "/dev/null"', 'write-out = "%{http_code}\\n"',
                                             'header = "Expect:"']))
        path.write_text("\nnext\n".join(blocks) + "\n")
        configs.append(path)
    start = time.perf_counter()
    procs = [subprocess.Popen(["curl", "-sS", "-K", str(p)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for p in configs]
    results = [p.communicate() for p in procs]
    seconds = time.perf_counter() - start
    for (out, err), p, client in zip(results, procs, transfers):
        codes = out.split()
        if p.returncode != 0 or len(codes) != len(client) or set(codes) - expect:
            raise RuntimeError(f"{label}: curl exit {p.returncode}, codes {sorted(set(codes))}: {err[:300]}")
    return seconds


def form_lines(url: str, path: Path) -> list[str]:
    return [f'url = "{url}"', 'form = "category=imaging"', 'form = "entityType=patient"',
            f'form = "entityId={ENTITY}"', f'form = "file=@{path};type=application/dicom"']


def presign(binary: str, s3_env: dict[str, str], method: str, key: str) -> str:
    env = {"PATH": os.environ["PATH"], **s3_env}
    return subprocess.run(
        [binary, "presign", "--method", method, "--bucket", s3_env["AWS_S3_DOCUMENTS_BUCKET_NAME"], "--key", key,
         "--endpoint", s3_env["AWS_ENDPOINT_URL_S3"], "--region", s3_env.get("AWS_REGION", "us-east-1"),
         "--path-style", "--expires", "7200"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout.strip()


def wrk(url: str, connections: int, seconds: int, headers: dict[str, str] | None = None) -> dict:
    threads = 1 if connections == 1 else 2
    header_options = [option for name, value in (headers or {}).items() for option in ("-H", f"{name}: {value}")]
    out = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
         "-s", str(HERE / "report.lua")] + header_options + [url],
        check=True, capture_output=True, text=True,
    ).stdout
    line = next((l for l in out.splitlines() if l.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no report: {out[-500:]}")
    r = json.loads(line[len("WRK_JSON "):])
    errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
    if errors or r["requests"] == 0:
        raise RuntimeError(f"wrk against {url[:80]}: {r}")
    s = r["duration_us"] / 1e6
    return {"mbps": r["bytes"] / s / MB, "rps": r["requests"] / s, "p50_ms": r["p50_us"] / 1000,
            "p99_ms": r["p99_us"] / 1000}


# --- helpers ----------------------------------------------------------------------------------------------


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float], fmt: str = ".0f") -> str:
    return "/".join(f"{v:{fmt}}" for v in values)


def size_label(size: int) -> str:
    return f"{size / MIB:g} MiB" if size >= MIB else f"{size / 1024:g} KiB"


# --- upload -----------------------------------------------------------------------------------------------


def run_upload(args, root: Path, s3_env: dict[str, str] | None, floor_python: str) -> dict:
    sizes = [int(float(s) * MIB) for s in args.sizes_mib.split(",")]
    clients_list = [int(c) for c in args.clients.split(",")]
    samples = root / "samples"
    samples.mkdir(exist_ok=True)
    results = {}
    with Nginx(root, samples) as nginx:
        for size in sizes:
            src = samples / f"upload-{size}.dcm"
            if not src.exists():
                make_dicom(src, size)
            for clients in clients_list:
                per_client = max(1, round(args.total_mib * MIB / (size * clients)))
                total = size * clients * per_client
                key = f"{size_label(size)} × {clients}"
                log(f"upload {key}: {per_client} file(s) per client, {total / MIB:.0f} MiB per run")
                rows: dict[str, list[float]] = {}
                servers = {"local": Medvault(args.bin, root, "local", None)}
                if s3_env:
                    servers["s3"] = Medvault(args.bin, root, "s3", s3_env)
                for server in servers.values():
                    server.__enter__()
                try:
                    for server in servers.values():  # warm-up: first connection, first SQLite write, first S3 call
                        server.upload_one(src)
                        server.delete_all()
                    direct_urls = []
                    if s3_env:
                        direct_urls = [presign(args.bin, s3_env, "PUT", f"bench-direct/{uuid.uuid4()}.dcm")
                                       for _ in range(clients)]
                    for run in range(args.runs):
                        loads = loadavg()
                        for kind in ("floor", "disk"):
                            out = subprocess.run(
                                [floor_python, str(HERE / "floor.py"), "--src", str(src), "--streams", str(clients),
                                 "--files-per-stream", str(per_client), "--outdir", str(root / "floor-out")]
                                + (["--plain"] if kind == "disk" else []),
                                check=True, capture_output=True, text=True,
                            ).stdout
                            r = json.loads(out)
                            rows.setdefault(kind, []).append(r["bytes"] / r["seconds"] / MB)
                        t = curl_clients(root, "sink", [[form_lines(f"{nginx.base}/sink", src)] * per_client] * clients,
                                         {"201"})
                        rows.setdefault("client", []).append(total / t / MB)
                        for name, server in servers.items():
                            cpu0 = server.cpu()
                            t = curl_clients(root, name,
                                             [[form_lines(f"{server.base}{API}/upload", src) + server.curl_auth_lines()]
                                               * per_client] * clients,
                                             {"201"})
                            cpu = server.cpu() - cpu0
                            rows.setdefault(name, []).append(total / t / MB)
                            rows.setdefault(f"{name}_cpu", []).append(cpu / (total / MIB) * 1024)  # CPU s per GiB
                            rows.setdefault(f"{name}_sampled", []).append(server.sampled_peak_kib / 1024)
                            server.delete_all()
                        if s3_env:
                            t = curl_clients(root, "direct",
                                             [[[f'url = "{u}"', f'upload-file = "{src}"']] * per_client
                                              for u in direct_urls], {"200"})
                            rows.setdefault("direct", []).append(total / t / MB)
                        log(f"  run {run + 1}: " + ", ".join(f"{k} {v[-1]:.0f}" for k, v in rows.items()
                                                            if not k.endswith(("_cpu", "_sampled"))) + f" (load {loads})")
                finally:
                    for server in servers.values():
                        server.__exit__(None, None, None)
                for name, server in servers.items():
                    rows[f"{name}_hwm"] = [server.hwm_kib / 1024]
                    rows[f"{name}_threads"] = [server.peak_threads]
                results[key] = {"size": size, "clients": clients, "per_client": per_client, "runs": rows}
    return results


def print_upload(results: dict, runs: int) -> None:
    has_s3 = any("s3" in r["runs"] for r in results.values())
    print(f"\n### Upload — MB/s (10^6 B/s) of file bytes, medians of {runs} runs; peak RSS = server VmHWM\n")
    head = ["file × clients", "floor AES-GCM+fsync", "medvault local", "local / floor (bar ≥ 0.60)",
            "local peak RSS", "local CPU s/GiB", "disk alone (write+fsync)", "client alone (nginx sink)"]
    if has_s3:
        head += ["medvault on ministack", "S3 peak RSS", "ministack direct (pre-signed PUT)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for key, r in results.items():
        v = r["runs"]
        ratio = med(v["local"]) / med(v["floor"])
        cells = [key, f"{med(v['floor']):.0f}", f"{med(v['local']):.0f}",
                 f"{ratio:.2f} {'met' if ratio >= 0.6 else 'MISSED'}",
                 f"{v['local_hwm'][0]:.0f} MiB", f"{med(v['local_cpu']):.1f}",
                 f"{med(v['disk']):.0f}", f"{med(v['client']):.0f}"]
        if has_s3:
            cells += [f"{med(v['s3']):.0f}", f"{v['s3_hwm'][0]:.0f} MiB", f"{med(v['direct']):.0f}"]
        print("| " + " | ".join(cells) + " |")
    print("\nper run (MB/s):")
    for key, r in results.items():
        v = r["runs"]
        parts = [f"{k} {spread(v[k])}" for k in ("floor", "local", "disk", "client", "s3", "direct") if k in v]
        parts += [f"peak threads {k[:-8]} {v[k][0]}" for k in ("local_threads", "s3_threads") if k in v]
        print(f"  {key} ({r['per_client']} file(s)/client): " + "; ".join(parts))
    big = [r for r in results.values() if r["clients"] == 8 and r["size"] >= 49 * MIB]
    if big:
        hwm = big[0]["runs"]["local_hwm"][0]
        print(f"\nbar: peak RSS with 8 concurrent {size_label(big[0]['size'])} uploads (local store) = {hwm:.0f} MiB "
              f"({'met' if hwm < 150 else 'MISSED'}, bar < 150 MB = {150e6 / MIB:.0f} MiB)")


# --- download ---------------------------------------------------------------------------------------------


def run_download(args, root: Path, s3_env: dict[str, str] | None) -> dict:
    docroot = root / "www"
    docroot.mkdir(exist_ok=True)
    docroot.chmod(0o755)
    sizes = [int(float(args.big_mib) * MIB), int(float(args.small_kib) * 1024)]
    files = {}
    for size in sizes:
        path = docroot / f"download-{size}.dcm"
        if not path.exists():
            make_dicom(path, size)
        files[size] = path
    results = {}
    servers = {"local": Medvault(args.bin, root, "dl-local", None)}
    if s3_env:
        servers["s3"] = Medvault(args.bin, root, "dl-s3", s3_env)
    with Nginx(root, docroot) as nginx:
        for server in servers.values():
            server.__enter__()
        try:
            urls: dict[int, dict[str, str]] = {}
            for size, path in files.items():
                urls[size] = {"nginx": f"{nginx.base}/{path.name}"}
                if size < MIB:
                    # context: the HTTP stack alone (no database, no disk), and one audited call without a file
                    urls[size]["healthz"] = f"{servers['local'].base}/healthz"
                    urls[size]["config"] = f"{servers['local'].base}{API}/config"
                for name, server in servers.items():
                    doc = server.upload_one(path)
                    urls[size][name] = f"{server.base}{API}/download?id={doc['id']}"
                    # the bytes must come back identical before anything is timed
                    status, body = server.request("GET", f"{API}/download?id={doc['id']}")
                    if status != 200 or body != path.read_bytes():
                        raise RuntimeError(f"{name}: download of {path.name} does not round-trip ({status})")
                    if name == "s3":
                        urls[size]["direct"] = presign(args.bin, s3_env, "GET", doc["key"])
            for size in sizes:
                for conns in (int(c) for c in args.connections.split(",")):
                    key = f"{size_label(size)} × {conns}"
                    rows: dict[str, list[float]] = {}
                    for run in range(args.runs):
                        loads = loadavg()
                        for target, url in urls[size].items():
                            server = servers.get(target)
                            cpu0 = server.cpu() if server else 0.0
                            # nginx, /healthz and the pre-signed S3 URL need no token; /config is local's
                            signer = server or (servers["local"] if target == "config" else None)
                            r = wrk(url, conns, args.seconds, signer.auth_headers if signer else None)
                            for field in ("mbps", "rps", "p50_ms", "p99_ms"):
                                rows.setdefault(f"{target}_{field}", []).append(r[field])
                            if server:
                                rows.setdefault(f"{target}_cpu", []).append(
                                    (server.cpu() - cpu0) / (r["mbps"] * args.seconds * MB / MIB) * 1024)
                        log(f"download {key} run {run + 1}: " + ", ".join(
                            f"{t} {rows[t + '_mbps'][-1]:.0f} MB/s {rows[t + '_rps'][-1]:.0f} req/s" for t in urls[size])
                            + f" (load {loads})")
                    for name, server in servers.items():
                        rows[f"{name}_sampled"] = [server.sampled_peak_kib / 1024]
                        rows[f"{name}_threads"] = [server.peak_threads]
                    results[key] = {"size": size, "connections": conns, "runs": rows}
        finally:
            for server in servers.values():
                server.__exit__(None, None, None)
            for name, server in servers.items():
                for r in results.values():
                    r["runs"][f"{name}_hwm"] = [server.hwm_kib / 1024]
    return results


def print_download(results: dict, runs: int, seconds: int) -> None:
    has_s3 = any("s3_mbps" in r["runs"] for r in results.values())
    print(f"\n### Download — wrk {seconds} s per target per run, medians of {runs} runs\n")
    head = ["file × connections", "metric", "nginx", "medvault local", "local / nginx (bar ≥ 0.70)", "local CPU s/GiB"]
    if has_s3:
        head += ["medvault on ministack", "ministack direct (pre-signed GET)"]
    head += ["medvault /healthz (HTTP only)", "medvault /config (1 audit row)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for key, r in results.items():
        v = r["runs"]
        big = r["size"] >= MIB
        metric, unit = ("mbps", "MB/s") if big else ("rps", "req/s")
        ratio = med(v[f"local_{metric}"]) / med(v[f"nginx_{metric}"])
        cells = [key, unit, f"{med(v[f'nginx_{metric}']):.0f}", f"{med(v[f'local_{metric}']):.0f}",
                 f"{ratio:.2f} {'met' if ratio >= 0.7 else 'MISSED'}", f"{med(v['local_cpu']):.1f}"]
        if has_s3:
            cells += [f"{med(v[f's3_{metric}']):.0f}", f"{med(v[f'direct_{metric}']):.0f}"]
        cells += [f"{med(v['healthz_rps']):.0f} req/s" if "healthz_rps" in v else "",
                  f"{med(v['config_rps']):.0f} req/s" if "config_rps" in v else ""]
        print("| " + " | ".join(cells) + " |")
    print("\nper run, and latency p50/p99 (ms, medians):")
    for key, r in results.items():
        v = r["runs"]
        metric = "mbps" if r["size"] >= MIB else "rps"
        targets = [t for t in ("nginx", "local", "s3", "direct", "healthz", "config") if f"{t}_{metric}" in v]
        print(f"  {key}: " + "; ".join(
            f"{t} {spread(v[f'{t}_{metric}'])} (p50 {med(v[f'{t}_p50_ms']):.1f}, p99 {med(v[f'{t}_p99_ms']):.1f})"
            for t in targets))
    any_r = next(iter(results.values()))["runs"]
    print("\nmedvault peak RSS (VmHWM) over all downloads: local "
          + f"{any_r['local_hwm'][0]:.0f} MiB" + (f", on ministack {any_r['s3_hwm'][0]:.0f} MiB" if has_s3 else "")
          + "; sampled VmRSS peak after each scenario (local): "
          + ", ".join(f"{k} {r['runs']['local_sampled'][0]:.0f} MiB/{r['runs']['local_threads'][0]} threads"
                      for k, r in results.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["upload", "download", "all"])
    parser.add_argument("--bin", default=str(REPO / ".build-release" / "release" / "medvault"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--s3-env", default="", help="ministack env file (export lines); empty = no S3 targets")
    parser.add_argument("--floor-python", default=sys.executable)
    parser.add_argument("--sizes-mib", default="1,10,49")
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--total-mib", type=float, default=256, help="upload bytes per run per scenario (≥ 1 file/client)")
    parser.add_argument("--big-mib", default="49")
    parser.add_argument("--small-kib", default="100")
    parser.add_argument("--connections", default="1,8")
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per target per run")
    parser.add_argument("--json", default="", help="also write the raw results here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    s3_env = read_env_file(Path(args.s3_env)) if args.s3_env else None
    root = Path(tempfile.mkdtemp(prefix="medvault-transfer-", dir=os.environ.get("BENCH_TMP")))
    root.chmod(0o755)  # nginx's workers run as an unprivileged user and must reach the document root
    out: dict = {"date": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "load_before": loadavg(), "runs": args.runs}
    try:
        if args.command in ("upload", "all"):
            out["upload"] = run_upload(args, root, s3_env, args.floor_python)
        if args.command in ("download", "all"):
            out["download"] = run_download(args, root, s3_env)
    except Exception:
        for logf in root.glob("*.log"):
            print(f"---- {logf.name} ----\n{logf.read_text(errors='replace')[-3000:]}", file=sys.stderr)
        raise
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    out["load_after"] = loadavg()
    print(f"\n{out['date']}; load average before {out['load_before']}, after {out['load_after']}")
    if "upload" in out:
        print_upload(out["upload"], args.runs)
    if "download" in out:
        print_download(out["download"], args.runs, args.seconds)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
