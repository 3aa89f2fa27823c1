#!/usr/bin/env bash
# Metadata API under load with 100,000 documents in the index, release build, local store.
#
#   bench/metadata/run.sh                       # seed a fresh data dir, 3 rounds × 15 s per scenario
#   RUNS=5 DURATION=20s bench/metadata/run.sh
#   SKIP_BUILD=1 bench/metadata/run.sh          # reuse .build-release/release/medvault
#   DATA_DIR=/tmp/mv-100k KEEP_DATA=1 bench/metadata/run.sh   # seed once, keep it (a seeded dir is reused)
#   MEDVAULT_BIN=/path/to/medvault SKIP_BUILD=1 bench/metadata/run.sh   # another binary
#   BASELINE_BIN=/tmp/medvault-old BASELINE_MIGRATIONS_DIR=/tmp/old-migrations bench/metadata/run.sh
#                                               # before/after: both binaries on identical data, interleaved
#   DATABASE_URL=postgres://…/empty_db bench/metadata/run.sh    # on PostgreSQL (seeded, then `medvault db copy`)
#   DATABASE_URL=… NODES=2 bench/metadata/run.sh                # two nodes on it behind nginx round-robin
#
# Seeds the index with bench/metadata/seed.py (100,000 documents, 2,000 patients, 9 categories; objects are
# not written, as list, stats and pre-signing read only the index), starts `medvault serve` on it (no AWS_*
# variables: the encrypted local store), and drives each scenario with wrk (`-t2 -c16 --latency`,
# bench/metadata/rotate.lua rotating the request paths). Every request writes its audit row, as in production.
# Rounds interleave the scenarios (and, with BASELINE_BIN, the two servers) so drift in machine load hits them
# all alike; the table shows medians. With BASELINE_BIN, leave DATA_DIR unset (or point it at a fresh directory):
# the data is seeded with the baseline's migrations and copied before the current binary migrates its copy.
# Authentication is on, as in production: seeding creates an administrator (`medvault user add`), each server gets
# a bearer token from `medvault token issue` on its own data directory, and wrk sends it with every request.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [[ -z "${SKIP_BUILD:-}" ]]; then
    swift build -c release --scratch-path .build-release --product medvault 2>&1 | grep -v "CMakeLists.txt" | tail -n 3 >&2
fi
BIN="${MEDVAULT_BIN:-$PWD/.build-release/release/medvault}"
[[ -x "$BIN" ]] || { echo "no release binary at $BIN" >&2; exit 1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
BIN="$BIN" REPO="$PWD" RUNS="${RUNS:-3}" DURATION="${DURATION:-15s}" THREADS="${THREADS:-2}" \
    CONNECTIONS="${CONNECTIONS:-16}" DOCUMENTS="${DOCUMENTS:-100000}" DATA_DIR="${DATA_DIR:-}" \
    KEEP_DATA="${KEEP_DATA:-}" ONLY="${ONLY:-}" MIGRATIONS_DIR="${MIGRATIONS_DIR:-}" BASELINE_BIN="${BASELINE_BIN:-}" \
    BASELINE_MIGRATIONS_DIR="${BASELINE_MIGRATIONS_DIR:-}" python3 "$PWD/bench/metadata/driver.py"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
