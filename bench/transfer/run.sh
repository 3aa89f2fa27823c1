#!/usr/bin/env bash
# Upload and download throughput of medvault against its peers (and S3 throughput).
#
#   bench/transfer/run.sh upload        # 1, 10, 49 MiB DICOM × 1 and 8 clients: floor, local, ministack, peers
#   bench/transfer/run.sh download      # 49 MiB and 100 KiB × 1 and 8 connections: nginx, local, ministack
#   bench/transfer/run.sh all
#   RUNS=5 SKIP_BUILD=1 NO_S3=1 bench/transfer/run.sh upload
#
# Env: RUNS (3), SKIP_BUILD=1 (reuse .build-release/release/medvault), NO_S3=1 (skip the ministack targets),
# SECONDS_PER_TARGET (wrk duration, 8), TOTAL_MIB (upload bytes per run per scenario, 256), JSON=path (raw
# results), BENCH_TMP (where the temporary data goes; default /tmp, same disk as the floor's output).
# Extra arguments go to transfer.py (e.g. --sizes-mib 49 --clients 8).
#
# Needs curl, wrk and nginx (Debian: apt-get install -y curl wrk nginx; installed here when missing and
# running as root) and Python with `cryptography` for the floor (the system python3 if it has it, else a
# virtualenv .venv-bench-transfer). The S3 targets use scripts/s3-peers.sh start (ministack, AUTH=true).
set -euo pipefail
cd "$(dirname "$0")/../.."

command=${1:-all}
shift || true
case $command in
upload | download | all) ;;
*)
    echo "usage: $0 upload|download|all [transfer.py options]" >&2
    exit 2
    ;;
esac

missing=()
for tool in curl wrk nginx; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
    else
        echo "missing: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
        exit 1
    fi
fi

FLOOR_PY=python3
if ! python3 -c "import cryptography" 2>/dev/null; then
    FLOOR_PY=.venv-bench-transfer/bin/python
    if ! "$FLOOR_PY" -c "import cryptography" 2>/dev/null; then
        python3 -m venv .venv-bench-transfer
        "$FLOOR_PY" -m pip install -q cryptography >&2
    fi
fi

# shellcheck source=bench/common.sh
. bench/common.sh
bench_binary
bench_ministack
bench_describe
exec python3 bench/transfer/transfer.py "$command" --bin "$BIN" --runs "${RUNS:-3}" --s3-env "$S3_ENV" \
    --floor-python "$FLOOR_PY" --seconds "${SECONDS_PER_TARGET:-8}" --total-mib "${TOTAL_MIB:-256}" \
    ${JSON:+--json "$JSON"} "$@"
