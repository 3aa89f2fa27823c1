#!/usr/bin/env bash
# Start-up time and idle memory of `medvault serve`, release build.
#
#   bench/startup.sh                  # 5 fresh starts + 5 starts on an existing database, 10 s idle each
#   RUNS=3 IDLE_SECONDS=5 bench/startup.sh
#   SKIP_BUILD=1 bench/startup.sh     # reuse .build-release/release/medvault
#
# Each start: a clean environment (no AWS_* variables, so the encrypted local store), a free port on 127.0.0.1,
# the wall time from exec to the first 200 on /healthz (polled every 2 ms), VmRSS right then and after
# IDLE_SECONDS without requests, then SIGTERM. "Fresh" starts get an empty data directory (the database is
# created and migrated, the storage key generated); "existing" starts reuse one directory that already has both.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${SKIP_BUILD:-}" ]]; then
    swift build -c release --scratch-path .build-release --product medvault 2>&1 | grep -v "CMakeLists.txt" | tail -n 3 >&2
fi
BIN="$PWD/.build-release/release/medvault"
[[ -x "$BIN" ]] || { echo "no release binary at $BIN" >&2; exit 1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
RUNS="${RUNS:-5}" IDLE_SECONDS="${IDLE_SECONDS:-10}" BIN="$BIN" python3 - <<'PY'
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time

BIN = os.environ["BIN"]
RUNS = int(os.environ["RUNS"])
IDLE = float(os.environ["IDLE_SECONDS"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not found")


def healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def one_start(data_dir: str, log_path: str) -> dict:
    port = free_port()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LOG_LEVEL": "warning"}
    with open(log_path, "ab") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [BIN, "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            while not healthy(port):
                if proc.poll() is not None:
                    raise RuntimeError(f"medvault exited with {proc.returncode}; see {log_path}")
                if time.perf_counter() - start > 60:
                    raise RuntimeError(f"no 200 on /healthz within 60 s; see {log_path}")
                time.sleep(0.002)
            elapsed = time.perf_counter() - start
            rss_start = rss_kib(proc.pid)
            time.sleep(IDLE)
            rss_idle = rss_kib(proc.pid)
            hwm = rss_kib(proc.pid, "VmHWM")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return {"ms": elapsed * 1000, "rss_start": rss_start / 1024, "rss_idle": rss_idle / 1024, "hwm": hwm / 1024}


root = tempfile.mkdtemp(prefix="medvault-startup-")
try:
    log = os.path.join(root, "server.log")
    fresh = [one_start(os.path.join(root, f"fresh-{i}"), log) for i in range(RUNS)]
    existing_dir = os.path.join(root, "fresh-0")  # already has its database and storage key
    existing = [one_start(existing_dir, log) for _ in range(RUNS)]
except Exception:
    print(open(os.path.join(root, "server.log"), errors="replace").read()[-4000:])
    raise
finally:
    keep = os.environ.get("KEEP_DATA")
    if not keep:
        shutil.rmtree(root, ignore_errors=True)

print(f"\nmedvault serve, release build; {RUNS} starts each; idle {IDLE:g} s; medians (min-max)\n")
print("| Start | exec → first 200 on /healthz | VmRSS at first 200 | VmRSS after idle | VmHWM |")
print("|---|---|---|---|---|")
for name, rows in (("fresh data dir (creates DB + key)", fresh), ("existing database", existing)):
    def cell(field: str, unit: str, fmt: str) -> str:
        values = [r[field] for r in rows]
        return f"{statistics.median(values):{fmt}} {unit} ({min(values):{fmt}}-{max(values):{fmt}})"
    print(f"| {name} | {cell('ms', 'ms', '.0f')} | {cell('rss_start', 'MiB', '.1f')} | "
          f"{cell('rss_idle', 'MiB', '.1f')} | {cell('hwm', 'MiB', '.1f')} |")
print("\nper start (ms): fresh " + ", ".join(f"{r['ms']:.0f}" for r in fresh)
      + "; existing " + ", ".join(f"{r['ms']:.0f}" for r in existing))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
