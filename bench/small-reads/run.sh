#!/usr/bin/env bash
# 100 KiB audited reads at 32 connections against nginx serving the same bytes: `download?id=`, a pre-signed URL's
# fetch and pre-signing, with CPU µs per request; `audit verify` and the audit rows checked afterwards.
#
#   bench/small-reads/run.sh                                   # RUNS=3 SECONDS_PER_TARGET=6
#   BASELINE_BIN=/tmp/medvault-main SKIP_BUILD=1 bench/small-reads/run.sh   # before and after in the same rounds
#
# Env: RUNS (3), SECONDS_PER_TARGET (6), CONNECTIONS (32), ONLY (download,signed,presign), BASELINE_BIN, SKIP_BUILD=1.
# Needs wrk and nginx (see bench/transfer/run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=bench/common.sh
. bench/common.sh
bench_binary
bench_describe
exec python3 bench/small-reads/small_reads.py --bin "$BIN" ${BASELINE_BIN:+--baseline "$BASELINE_BIN"} \
    --runs "${RUNS:-3}" --seconds "${SECONDS_PER_TARGET:-6}" --connections "${CONNECTIONS:-32}" \
    --only "${ONLY:-download,signed,presign}"
