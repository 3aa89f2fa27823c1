#!/usr/bin/env bash
# What previews cost an upload (bench/media/media.py): per-size preview time (1, 4, 12 MP JPEG, a PDF page) and
# upload throughput with and without previews, measured in the same run.
#
#   bench/media/run.sh                      # 7 uploads per sample, 4 clients × 15 s per server
#   SKIP_BUILD=1 BIN=.build/release/medvault bench/media/run.sh --uploads 5 --seconds 10
#
# Env: SKIP_BUILD=1 (reuse the release binary), BIN (a release binary to use instead of .build-release's).
# Needs libvips (Debian libvips-dev) and Pillow in the test virtualenv (scripts/test.sh python_env).
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/common.sh
if [[ -z "${BIN:-}" ]]; then bench_binary; fi
bench_describe
echo "$(date '+%Y-%m-%d %H:%M:%S %Z'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec .venv-test/bin/python bench/media/media.py --bin "$BIN" "$@"
