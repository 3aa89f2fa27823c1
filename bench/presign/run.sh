#!/usr/bin/env bash
# Pre-signed GET URLs per second on one thread: medvault vs botocore vs the HMAC floor.
#
#   bench/presign/run.sh                     # 5 rounds × 2 s each
#   RUNS=7 SECONDS_PER_RUN=3 bench/presign/run.sh
#   SKIP_BUILD=1 bench/presign/run.sh        # reuse bench/presign/.build/release/PresignBenchmark
#
# Each round runs medvault, the floor (same Swift process) and botocore (a Python process) back to back, so
# the three see the same load; the table gives medians over the rounds. Rates are given per wall-clock second
# and per second of the measuring thread's CPU time (the latter is what "per core" means on a busy machine).
# The Swift side is a package of its own (bench/presign/Package.swift) that depends on the repository's by path.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-5}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-2}"

if [[ -z "${SKIP_BUILD:-}" ]]; then
    swift build -c release --package-path bench/presign --product PresignBenchmark 2>&1 | grep -v "CMakeLists.txt" | tail -n 3 >&2
fi
BIN=bench/presign/.build/release/PresignBenchmark
PY=.venv-bench/bin/python
if [[ ! -x "$PY" ]] || ! "$PY" -c "import boto3" 2>/dev/null; then
    python3 -m venv .venv-bench
    "$PY" -m pip install -q boto3 >&2
fi

# Both sign the same request: at a fixed instant the signatures must be identical.
swift_sig=$("$BIN" --sample-url | sed 's/.*X-Amz-Signature=//')
boto_sig=$("$PY" bench/presign/botocore_presign.py --sample-url | sed 's/.*X-Amz-Signature=//')
if [[ "$swift_sig" != "$boto_sig" ]]; then
    echo "signatures differ: medvault $swift_sig, botocore $boto_sig" >&2
    exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for _ in $(seq "$RUNS"); do
    "$BIN" --runs 1 --seconds "$SECONDS_PER_RUN" >>"$out"
    "$PY" bench/presign/botocore_presign.py --runs 1 --seconds "$SECONDS_PER_RUN" >>"$out"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

"$PY" - "$out" "$swift_sig" "$RUNS" "$SECONDS_PER_RUN" "$load_before" "$load_after" <<'PY'
import statistics
import sys

path, signature, runs, seconds, load_before, load_after = sys.argv[1:]
values: dict[str, list[float]] = {}
info: dict[str, str] = {}
for line in open(path):
    for pair in line.split():
        key, _, value = pair.partition("=")
        if key.endswith("_wall") or key.endswith("_cpu"):
            values.setdefault(key, []).append(float(value))
        else:
            info[key] = value

med = {key: statistics.median(v) for key, v in values.items()}
def rate(name: str, kind: str) -> str:
    runs_ = values[f"{name}_{kind}"]
    return f"{med[f'{name}_{kind}']:,.0f} ({min(runs_):,.0f}-{max(runs_):,.0f})"

print(f"\nPre-signed GET URLs per second, one thread; {runs} rounds × {seconds} s; median (min-max)")
print(f"load average before {load_before}, after {load_after}; signatures agree at a fixed instant ({signature[:16]}…)\n")
print("| | URLs/s (wall clock) | URLs/s (per CPU-second) |")
print("|---|---|---|")
print(f"| medvault `SigV4Signer.presign` | {rate('medvault', 'wall')} | {rate('medvault', 'cpu')} |")
print(f"| botocore {info.get('botocore_version', '?')} `generate_presigned_url` | {rate('botocore', 'wall')} | {rate('botocore', 'cpu')} |")
print(f"| floor: SHA-256 of {info['canonical_request_bytes']} B + HMAC-SHA256 of {info['string_to_sign_bytes']} B "
      f"| {rate('floor', 'wall')} | {rate('floor', 'cpu')} |")
mb_w, mb_c = (med[f"medvault_{k}"] / med[f"botocore_{k}"] for k in ("wall", "cpu"))
fm_w, fm_c = (med[f"floor_{k}"] / med[f"medvault_{k}"] for k in ("wall", "cpu"))
print(f"| medvault / botocore (bar ≥ 50×) | {mb_w:.1f}× | {mb_c:.1f}× |")
print(f"| floor / medvault (bar ≤ 3×) | {fm_w:.2f}× | {fm_c:.2f}× |")
ok = lambda cond: "met" if cond else "MISSED"
print(f"\nbar ≥ 50× botocore: {ok(mb_c >= 50)} (per CPU-second), {ok(mb_w >= 50)} (wall)")
print(f"bar within 3× of the floor: {ok(fm_c <= 3)} (per CPU-second), {ok(fm_w <= 3)} (wall)")
PY
