#!/usr/bin/env bash
# Direct uploads: verification throughput and the time from the last part to the 201, beside reading the same
# bytes back and hashing them (the floor verification cannot beat).
#
#   bench/direct-upload/run.sh                  # 50 MiB DICOM on the local store and on ministack
#   RUNS=5 SKIP_BUILD=1 NO_S3=1 bench/direct-upload/run.sh --size-mib 100
#
# Env: RUNS (3), SKIP_BUILD=1 (reuse .build-release/release/medvault), NO_S3=1 (local store only). Extra arguments
# go to direct_upload.py (--size-mib).
#
# Needs curl and sha256sum. The ministack target uses scripts/s3-peers.sh start (ministack, AUTH=true).
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in curl sha256sum; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

# shellcheck source=bench/common.sh
. bench/common.sh
bench_binary
bench_ministack
bench_describe
echo "$(date '+%Y-%m-%d %H:%M:%S %Z'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec python3 bench/direct-upload/direct_upload.py --bin "$BIN" --runs "${RUNS:-3}" --s3-env "$S3_ENV" "$@"
